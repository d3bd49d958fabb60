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

    /// <summary>Mode of the socket file after bind (Unix sockets only). Default 0660.</summary>
    public UnixFileMode SocketMode { get; init; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Group to own the socket file (chown), e.g. the gid of "docker"; null leaves it as created.</summary>
    public int? SocketGroupId { get; init; }

    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>How long an idle keep-alive connection may wait for its next request head.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromMinutes(5);

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
