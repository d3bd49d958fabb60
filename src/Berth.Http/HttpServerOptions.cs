using System.Net;
using System.Net.Sockets;

namespace Berth.Http;

/// <summary>Where <see cref="HttpServer"/> listens and the limits it enforces.</summary>
public sealed class HttpServerOptions
{
    /// <summary>
    /// A <see cref="UnixDomainSocketEndPoint"/> (the normal case) or, when explicitly wanted, an
    /// <see cref="IPEndPoint"/> for TCP.
    /// </summary>
    public required EndPoint EndPoint { get; init; }

    /// <summary>
    /// A socket already bound and listening (one systemd passed with socket activation): served as it is, never bound,
    /// chowned or removed. <see cref="EndPoint"/> is then only its name in logs.
    /// </summary>
    public Socket? ListenSocket { get; init; }

    /// <summary>Mode of the socket file after bind (Unix sockets only). Default 0660.</summary>
    public UnixFileMode SocketMode { get; init; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Group to own the socket file (chown), e.g. the gid of "docker"; null leaves it as created.</summary>
    public int? SocketGroupId { get; init; }

    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>How long an idle keep-alive connection may wait for the first byte of its next request head.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a request head may take to arrive whole: from the connection's accept for its first request,
    /// from the head's first byte for later ones (Go's ReadHeaderTimeout). A slowloris client is closed then.
    /// </summary>
    public TimeSpan HeadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most connections open at once. When full, a new connection closes the connection that has waited
    /// longest for a request head (idle keep-alive or slow head); connections running a request, streaming or
    /// hijacked are never closed. When none can go, the new connection gets 503. Each connection costs one fd:
    /// 20,000 idle ones exhausted berthd's 1024-fd soft limit before it was raised.
    /// </summary>
    public int MaxConnections { get; init; } = 4096;

    /// <summary>Most bytes of an unread request body read off and dropped to keep the connection; beyond, it closes.</summary>
    public long MaxDrainBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Longest wait for a client while draining: an unread request body, and the client's EOF after
    /// shutdown(SHUT_WR) before close.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long <see cref="HttpServer.StopAsync"/> lets in-flight requests finish before it cancels
    /// <see cref="HttpContext.RequestAborted"/> and closes the remaining connections.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
