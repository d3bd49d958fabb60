using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Berth.Http;

/// <summary>
/// One accepted connection: reads request heads, runs the handler, completes responses, keeps the
/// connection alive between requests, and hands the socket over when a handler hijacks it.
/// Reads go through a <see cref="PipeReader"/> that reads the socket only when asked, so request bodies
/// stream and bytes behind a request head stay buffered for the next request or the hijacked stream.
/// </summary>
internal sealed class HttpConnection
{
    private readonly HttpServer _server;
    private readonly HttpServerOptions _options;
    private readonly Socket _socket;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private BodyReadStream? _body;
    private CancellationTokenSource? _requestAborted;
    private Task? _monitor;
    private CancellationTokenSource? _monitorStop;
    private volatile HttpContext? _current;
    private volatile bool _hijacked;
    private bool _broken;
    private bool _servedOne;
    private bool _abandoned;
    private long _waitingSince;
    private CancellationTokenSource? _headWait;

    public HttpConnection(HttpServer server, Socket socket, long id)
    {
        Id = id;
        _server = server;
        _options = server.Options;
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 32 * 1024, minimumReadSize: 8 * 1024, leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public long Id { get; }

    /// <summary>
    /// True while a handler runs whose response is neither streaming nor hijacked: an in-flight request
    /// that <see cref="HttpServer.StopAsync"/> lets finish.
    /// </summary>
    public bool IsHandlingRequest => _current is { } context && !_hijacked && !context.Response.IsStreaming;

    /// <summary>Closes the socket at once; pending reads and writes fail.</summary>
    public void Abort() => _socket.Dispose();

    /// <summary>When the connection started waiting for a request head (Stopwatch ticks); 0 while it is not waiting.</summary>
    public long WaitingSince => Interlocked.Read(ref _waitingSince);

    /// <summary>
    /// Closes the connection if it is still waiting for a request head (the server is full); false when a
    /// head arrived meanwhile. A head that arrives after this is dropped with the connection.
    /// </summary>
    public bool TryEvict(long waitingSince)
    {
        if (waitingSince <= 0 || Interlocked.CompareExchange(ref _waitingSince, -1, waitingSince) != waitingSince)
            return false;
        _abandoned = true;
        try
        {
            _headWait?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        return true;
    }

    public async Task RunAsync()
    {
        try
        {
            while (await ServeRequestAsync())
            {
            }
        }
        catch (Exception e) when (IsConnectionError(e) || e is OperationCanceledException)
        {
            _server.Logger.LogDebug("connection ended: {Error}", e.Message);
        }
        catch (Exception e)
        {
            _server.Logger.LogError(e, "connection failed");
        }
        finally
        {
            if (_abandoned)
                _socket.Dispose();
            else if (!_hijacked)
                await CloseAsync();
        }
    }

    /// <summary>Serves one request; true when the connection can carry another.</summary>
    private async Task<bool> ServeRequestAsync()
    {
        HttpContext context;
        try
        {
            var head = await ReadHeadAsync();
            if (head is null)
                return false;
            context = CreateContext(head);
        }
        catch (HttpProtocolException e)
        {
            await SendProtocolErrorAsync(e);
            return false;
        }
        _current = context;
        try
        {
            await RunHandlerAsync(context);
            return !_hijacked && await FinishAsync(context);
        }
        finally
        {
            _current = null;
            await StopWatchingAsync();
            _requestAborted?.Dispose();
        }
    }

    /// <summary>
    /// The next request head; null when the client closed, the server stops, the connection is evicted, or a
    /// timeout passed: <see cref="HttpServerOptions.KeepAliveTimeout"/> before a head's first byte (after the
    /// first request), <see cref="HttpServerOptions.HeadTimeout"/> for the whole head.
    /// </summary>
    private async Task<HttpRequestHead?> ReadHeadAsync()
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_server.StoppingToken);
        bool headStarted = !_servedOne;
        wait.CancelAfter(headStarted ? _options.HeadTimeout : _options.KeepAliveTimeout);
        _headWait = wait;
        Interlocked.Exchange(ref _waitingSince, System.Diagnostics.Stopwatch.GetTimestamp());
        try
        {
            var head = await ReadHeadCoreAsync(wait, headStarted);
            // An eviction that won the race drops the head with the connection.
            return Interlocked.Exchange(ref _waitingSince, 0) == -1 ? null : head;
        }
        catch (OperationCanceledException)
        {
            // Nothing is owed to a client that sent no head in time: close without the graceful drain.
            _abandoned = true;
            return null;
        }
        finally
        {
            long waiting = Interlocked.Read(ref _waitingSince);
            if (waiting > 0)
                Interlocked.CompareExchange(ref _waitingSince, 0, waiting);
            _headWait = null;
        }
    }

    private async Task<HttpRequestHead?> ReadHeadCoreAsync(CancellationTokenSource wait, bool headStarted)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(wait.Token);
            var buffer = result.Buffer;
            if (!headStarted && !buffer.IsEmpty)
            {
                headStarted = true;
                wait.CancelAfter(_options.HeadTimeout);
            }
            bool parsed;
            HttpRequestHead head;
            SequencePosition end;
            try
            {
                parsed = HttpRequestParser.TryParse(buffer, _options.Limits, out head, out end);
            }
            catch
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }
            if (parsed)
            {
                _reader.AdvanceTo(end);
                _servedOne = true;
                return head;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                return buffer.IsEmpty ? null : throw new HttpProtocolException(400, "connection closed in the middle of a request head");
        }
    }

    private HttpContext CreateContext(HttpRequestHead head)
    {
        _body = head.Chunked ? new ChunkedBodyStream(_reader, _options.Limits) : new ContentLengthBodyStream(_reader, head.ContentLength);
        var request = new HttpRequest(head, _body);
        var response = new HttpResponse(_writer, request, () => CanKeepAlive(request));
        _requestAborted = CancellationTokenSource.CreateLinkedTokenSource(_server.AbortToken);
        var context = new HttpContext(this, request, response, _requestAborted.Token);
        if (request.ProtocolVersion == HttpVersion.Version11 && request.Headers.ContainsToken("Expect", "100-continue"))
            _body.BeforeFirstRead = cancellationToken => SendContinueAsync(response, cancellationToken);
        if (!context.IsUpgradeRequest)
        {
            if (_body.IsComplete)
                StartMonitor();
            else
                _body.Completed = StartMonitor;
        }
        return context;
    }

    private bool CanKeepAlive(HttpRequest request) =>
        request.ProtocolVersion == HttpVersion.Version11
        && !request.Headers.ContainsToken("Connection", "close")
        && !_server.IsStopping
        && !_body!.Failed;

    private async ValueTask SendContinueAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        if (response.HasStarted)
            return;
        _writer.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
        await _writer.FlushAsync(cancellationToken);
    }

    private async Task RunHandlerAsync(HttpContext context)
    {
        try
        {
            await _server.Handler(context);
        }
        catch (Exception e)
        {
            await HandleFailureAsync(context, e);
        }
        if (context.Hijacked is { } hijacked)
            await hijacked.CompleteAsync();
    }

    /// <summary>
    /// Turns a handler's exception into a response: <see cref="ApiException"/> → its status, a malformed
    /// body → 400, anything else → 500, all as <c>{"message"}</c>. When the response has started, the
    /// body failed on the wire, or the client went away, the connection is closed instead.
    /// </summary>
    private async Task HandleFailureAsync(HttpContext context, Exception e)
    {
        bool clientGone = (_body!.Failure is { } failure && failure is not HttpProtocolException)
            || (e is OperationCanceledException && context.RequestAborted.IsCancellationRequested);
        if (context.Hijacked is not null || context.Response.HasStarted || clientGone)
        {
            _server.Logger.LogDebug("{Method} {Target} ended early: {Error}", context.Request.Method, context.Request.Target, e.Message);
            _broken = true;
            return;
        }
        var (status, message) = e switch
        {
            ApiException api => (api.StatusCode, api.Message),
            HttpProtocolException protocol => (protocol.StatusCode, protocol.Message),
            _ => (500, e.Message),
        };
        if (status >= 500)
            _server.Logger.LogError(e, "{Method} {Target} failed", context.Request.Method, context.Request.Target);
        context.Response.Headers.Clear();
        await context.Response.SendErrorAsync(status, message, _server.AbortToken);
    }

    /// <summary>Completes the response and makes the connection ready for the next request; false to close it.</summary>
    private async Task<bool> FinishAsync(HttpContext context)
    {
        await StopWatchingAsync();
        if (_broken)
            return false;
        await context.Response.CompleteAsync(_server.AbortToken);
        if (!context.Response.KeepAlive || _server.IsStopping)
            return false;
        if (_body!.IsComplete)
            return true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_server.AbortToken);
        timeout.CancelAfter(_options.DrainTimeout);
        return await _body.DrainAsync(_options.MaxDrainBytes, timeout.Token);
    }

    internal async Task<HijackedConnection> HijackAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
            throw new InvalidOperationException("cannot hijack: the response has started");
        await StopWatchingAsync();
        if (!_body!.IsComplete && !await _body.DrainAsync(_options.MaxDrainBytes, cancellationToken))
            throw new ApiException(400, "the request body could not be read before the hijack");
        context.Response.WriteHijackHead();
        await _writer.FlushAsync(cancellationToken);
        _hijacked = true;
        context.Hijacked = new HijackedConnection(_socket, _reader, _options.DrainTimeout);
        return context.Hijacked;
    }

    /// <summary>
    /// Watches the idle socket while a handler runs, so that a client that goes away (EOF or reset)
    /// cancels <see cref="HttpContext.RequestAborted"/>: an abandoned /wait must not wait forever.
    /// When bytes arrive instead (a pipelined request), the client is alive: they stay unexamined for
    /// the next head and watching ends.
    /// </summary>
    private void StartMonitor()
    {
        _monitorStop = new CancellationTokenSource();
        _monitor = MonitorAsync(_requestAborted!, _monitorStop.Token);
    }

    private async Task MonitorAsync(CancellationTokenSource aborted, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(stop);
                _reader.AdvanceTo(result.Buffer.Start);
                if (!result.Buffer.IsEmpty)
                    return;
                if (result.IsCompleted)
                    break;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (IsConnectionError(e))
        {
        }
        await aborted.CancelAsync();
    }

    /// <summary>Stops the monitor, and keeps the body from starting one later; the reader is free afterwards.</summary>
    private async Task StopWatchingAsync()
    {
        if (_body is not null)
            _body.Completed = null;
        if (_monitor is null)
            return;
        _monitorStop!.Cancel();
        await _monitor;
        _monitorStop.Dispose();
        _monitor = null;
        _monitorStop = null;
    }

    private async Task SendProtocolErrorAsync(HttpProtocolException e)
    {
        _server.Logger.LogDebug("bad request: {Error}", e.Message);
        byte[] body = ErrorBody.Create(e.Message);
        string head = $"HTTP/1.1 {e.StatusCode} {HttpStatus.ReasonPhrase(e.StatusCode)}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        _writer.Write(Encoding.ASCII.GetBytes(head));
        _writer.Write(body);
        await _writer.FlushAsync(_server.AbortToken);
    }

    /// <summary>
    /// Closes the clean way: shutdown(SHUT_WR), then read and drop input until the client's EOF (bounded),
    /// then close, so the client never gets ECONNRESET in place of the last response.
    /// </summary>
    private async Task CloseAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_server.AbortToken);
            timeout.CancelAfter(_options.DrainTimeout);
            while (true)
            {
                var result = await _reader.ReadAsync(timeout.Token);
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        catch (Exception e) when (IsConnectionError(e) || e is OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            _socket.Dispose();
        }
    }

    internal static bool IsConnectionError(Exception e) =>
        e is SocketException or ObjectDisposedException || (e is IOException && e is not HttpProtocolException);
}
