using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Http;

/// <summary>
/// An HTTP/1.1 server for the Docker Engine API, on a Unix socket (or TCP when asked).
/// <para>
/// Hand-written on <see cref="Socket"/> and System.IO.Pipelines because Kestrel cannot carry Docker's
/// hijacked streams (docker-api-notes §12, DEVELOPERS.md rule 2): it refuses to upgrade a request that has
/// a body (<c>POST /exec/{id}/start</c> sends JSON and <c>Upgrade: tcp</c>), and its socket transport ends
/// the connection when the client half-closes, so output written after <c>docker run</c>'s immediate
/// CloseWrite never arrives. Here reading and writing are independent, the hijack writes its own head,
/// and a read-EOF means only that the client's write side is closed.
/// </para>
/// <para>
/// Every connection is served by async code on the thread pool (no thread per connection); requests on
/// one connection are sequential, connections are concurrent.
/// </para>
/// </summary>
public sealed class HttpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly HashSet<HttpConnection> _connections = new();
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private Task? _stop;
    private string? _socketPath;
    private long _connectionCount;

    public HttpServer(HttpServerOptions options, HttpHandler handler, ILogger? logger = null)
    {
        Options = options;
        Handler = handler;
        Logger = logger ?? NullLogger.Instance;
    }

    public HttpServerOptions Options { get; }

    /// <summary>The bound endpoint; for TCP port 0 it carries the port chosen.</summary>
    public EndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    internal HttpHandler Handler { get; }

    internal ILogger Logger { get; }

    internal bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Cancelled when the server stops accepting: idle keep-alive connections close.</summary>
    internal CancellationToken StoppingToken => _stopping.Token;

    /// <summary>Cancelled when the shutdown timeout is over: everything still running is aborted.</summary>
    internal CancellationToken AbortToken => _abort.Token;

    /// <summary>Binds, listens and starts accepting connections.</summary>
    public void Start()
    {
        if (_listener is not null)
            throw new InvalidOperationException("the server has already been started");
        if (Options.ListenSocket is { } passed)
        {
            _listener = passed;
            _acceptLoop = AcceptLoopAsync(passed);
            return;
        }
        var endPoint = Options.EndPoint;
        bool isUnix = endPoint is UnixDomainSocketEndPoint;
        if (isUnix)
        {
            _socketPath = endPoint.ToString()!;
            SocketFile.PrepareForBind(_socketPath);
        }
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, isUnix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            listener.Bind(endPoint);
            listener.Listen(512);
            if (isUnix)
                SocketFile.SetOwnership(_socketPath!, Options.SocketMode, Options.SocketGroupId);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    /// <summary>
    /// Stops accepting and closes idle connections, lets in-flight requests finish (until
    /// <see cref="HttpServerOptions.ShutdownTimeout"/> or <paramref name="cancellationToken"/>), then cancels
    /// <see cref="HttpContext.RequestAborted"/> and closes what remains: hijacked and streaming connections.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return _stop ??= StopCoreAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!IsStopping)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || IsStopping)
            {
                return;
            }
            catch (SocketException e)
            {
                Logger.LogWarning("accept failed: {Error}", e.Message);
                await Task.Delay(50);
                continue;
            }
            Serve(socket);
        }
    }

    private void Serve(Socket socket)
    {
        if (socket.AddressFamily != AddressFamily.Unix)
            socket.NoDelay = true;
        var connection = new HttpConnection(this, socket, Interlocked.Increment(ref _connectionCount));
        lock (_lock)
        {
            if (_connections.Count >= Options.MaxConnections && !EvictLongestWaiting())
            {
                Refuse(socket);
                return;
            }
            _connections.Add(connection);
        }
        _ = Task.Run(async () =>
        {
            await connection.RunAsync();
            lock (_lock)
            {
                _connections.Remove(connection);
                if (IsStopping && _connections.Count == 0)
                    _allClosed.TrySetResult();
            }
        });
    }

    /// <summary>
    /// Makes room: closes the connection that has waited longest for a request head. One scan of the
    /// connections, only when the server is full.
    /// </summary>
    private bool EvictLongestWaiting()
    {
        foreach (var candidate in _connections.Select(c => (Connection: c, Since: c.WaitingSince)).Where(c => c.Since > 0).OrderBy(c => c.Since))
        {
            if (candidate.Connection.TryEvict(candidate.Since))
            {
                Logger.LogWarning("{Max} connections open: closed connection {Id}, which was waiting for a request", Options.MaxConnections, candidate.Connection.Id);
                return true;
            }
        }
        return false;
    }

    /// <summary>Every connection is busy (requests, streams, hijacks): the new one gets 503 and is closed.</summary>
    private void Refuse(Socket socket)
    {
        Logger.LogWarning("{Max} connections open, all busy: refused a new connection", Options.MaxConnections);
        byte[] body = ErrorBody.Create($"too many connections: the server allows {Options.MaxConnections} at once");
        byte[] head = System.Text.Encoding.ASCII.GetBytes(
            $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        try
        {
            // A fresh socket's send buffer takes these few bytes without blocking.
            socket.Blocking = false;
            socket.Send([new ArraySegment<byte>(head), new ArraySegment<byte>(body)]);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _listener?.Dispose();
        await _acceptLoop;
        DeleteSocketFile();
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(Options.ShutdownTimeout);
        await WaitForInFlightRequestsAsync(grace.Token);
        await _abort.CancelAsync();
        if (!await WaitAllClosedAsync(TimeSpan.FromSeconds(1)))
        {
            foreach (var connection in Snapshot())
                connection.Abort();
            if (!await WaitAllClosedAsync(TimeSpan.FromSeconds(2)))
                Logger.LogWarning("{Count} connections did not end after abort", Snapshot().Length);
        }
    }

    /// <summary>Polls until no connection is in the middle of an ordinary (not streaming, not hijacked) request.</summary>
    private async Task WaitForInFlightRequestsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (Snapshot().Any(c => c.IsHandlingRequest))
                await Task.Delay(20, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> WaitAllClosedAsync(TimeSpan timeout)
    {
        lock (_lock)
            if (_connections.Count == 0)
                return true;
        try
        {
            await _allClosed.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private HttpConnection[] Snapshot()
    {
        lock (_lock)
            return _connections.ToArray();
    }

    private void DeleteSocketFile()
    {
        if (_socketPath is null)
            return;
        try
        {
            File.Delete(_socketPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Logger.LogWarning("cannot remove socket file {Path}: {Error}", _socketPath, e.Message);
        }
    }
}
