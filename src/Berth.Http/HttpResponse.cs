using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Http;

/// <summary>
/// The response to one request. Either send it whole (<see cref="SendAsync"/>, <see cref="SendJsonAsync{T}"/>,
/// <see cref="SendErrorAsync"/>: Content-Length), or stream it through <see cref="Body"/>: the first write or
/// <see cref="StartAsync"/> sends the head, and every write reaches the client at once as a chunk
/// (close-delimited for HTTP/1.0 clients; fixed length if the handler set Content-Length).
/// A handler that sends nothing gets an empty response with its <see cref="StatusCode"/>.
/// A response to HEAD never carries body bytes; 1xx, 204 and 304 never do either.
/// </summary>
public sealed class HttpResponse
{
    private readonly PipeWriter _writer;
    private readonly bool _isHead;
    private readonly bool _http11;
    private readonly Func<bool> _canKeepAlive;
    private readonly BodyReadStream? _requestBody;
    private Mode _mode = Mode.NotStarted;
    private int _statusCode = 200;
    private long _declaredLength;
    private long _written;
    private ResponseBodyStream? _body;
    private bool _streamingHead;

    internal HttpResponse(PipeWriter writer, HttpRequest request, Func<bool> canKeepAlive)
    {
        _writer = writer;
        _isHead = request.Method == "HEAD";
        _http11 = request.ProtocolVersion == System.Net.HttpVersion.Version11;
        _canKeepAlive = canKeepAlive;
        _requestBody = request.Body as BodyReadStream;
    }

    private enum Mode { NotStarted, Fixed, Chunked, CloseDelimited, NoBody, Completed, Hijacked }

    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfStarted();
            _statusCode = value;
        }
    }

    /// <summary>The reason phrase; null means the standard one for <see cref="StatusCode"/>.</summary>
    public string? ReasonPhrase { get; set; }

    /// <summary>
    /// Headers to send. The server sets Transfer-Encoding and Connection itself, and Content-Length for a
    /// whole response; a Content-Length set before streaming makes the streamed body fixed-length.
    /// </summary>
    public HttpHeaders Headers { get; } = new();

    public bool HasStarted => _mode != Mode.NotStarted;

    /// <summary>A write-only stream of the body: each write is sent and flushed at once.</summary>
    public Stream Body => _body ??= new ResponseBodyStream(this);

    /// <summary>Whether the connection can carry another request after this response.</summary>
    internal bool KeepAlive { get; private set; }

    /// <summary>Whether the head is out and the body is being streamed (a long-lived response such as /wait or logs -f).</summary>
    internal bool IsStreaming => _streamingHead && _mode != Mode.Completed;

    /// <summary>Sends the head now, before any body byte (what /wait needs, docker-api-notes §6.1).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!HasStarted)
            WriteHead(contentLength: null);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Sends the whole response: <paramref name="body"/> with a Content-Length.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> body, string? contentType, CancellationToken cancellationToken = default)
    {
        ThrowIfStarted();
        if (contentType is not null)
            Headers.Set("Content-Type", contentType);
        WriteHead(body.Length);
        if (_mode == Mode.Fixed)
            _writer.Write(body.Span);
        _written = body.Length;
        _mode = Mode.Completed;
        await FlushAsync(cancellationToken);
    }

    /// <summary>Sends <paramref name="value"/> as <c>application/json</c> with a source-generated <paramref name="typeInfo"/>.</summary>
    public Task SendJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), "application/json", cancellationToken);

    /// <summary>
    /// Sends Docker's error body <c>{"message": ...}</c> with <paramref name="statusCode"/>. When the request
    /// body broke on the wire, the handler's error is only its consequence and the body's failure is answered
    /// instead: 400 with its reason for a malformed or cut-short body (the client's fault, whatever the handler
    /// made of it), nothing for a lost connection (this throws, and the connection closes).
    /// </summary>
    public Task SendErrorAsync(int statusCode, string message, CancellationToken cancellationToken = default)
    {
        switch (_requestBody?.Failure)
        {
            case HttpProtocolException protocol:
                (statusCode, message) = (protocol.StatusCode, protocol.Message);
                break;
            case { } lost:
                throw new IOException($"the connection failed while the request body was read: {lost.Message}", lost);
        }
        StatusCode = statusCode;
        return SendAsync(ErrorBody.Create(message), "application/json", cancellationToken);
    }

    internal async Task WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!HasStarted)
            WriteHead(contentLength: null);
        switch (_mode)
        {
            case Mode.Chunked when data.Length > 0:
                WriteAscii($"{data.Length:x}\r\n");
                _writer.Write(data.Span);
                _writer.Write("\r\n"u8);
                break;
            case Mode.Fixed when _written + data.Length > _declaredLength:
                throw new InvalidOperationException($"response body longer than its Content-Length {_declaredLength}");
            case Mode.Fixed or Mode.CloseDelimited:
                _writer.Write(data.Span);
                break;
            case Mode.Completed or Mode.Hijacked:
                throw new InvalidOperationException("the response is complete");
        }
        _written += data.Length;
        await FlushAsync(cancellationToken);
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken);
    }

    /// <summary>Ends the response after the handler returned: the empty response, the last chunk, or nothing.</summary>
    internal async Task CompleteAsync(CancellationToken cancellationToken)
    {
        switch (_mode)
        {
            case Mode.NotStarted:
                WriteHead(contentLength: 0);
                break;
            case Mode.Chunked:
                _writer.Write("0\r\n\r\n"u8);
                break;
            case Mode.Fixed when _written != _declaredLength:
            case Mode.CloseDelimited:
                KeepAlive = false;
                break;
        }
        if (_mode != Mode.Hijacked)
            _mode = Mode.Completed;
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes exactly the status line and <see cref="Headers"/>, nothing added, for a hijack.</summary>
    internal void WriteHijackHead()
    {
        ThrowIfStarted();
        WriteStatusAndHeaders();
        _mode = Mode.Hijacked;
    }

    private void WriteHead(long? contentLength)
    {
        ChooseFraming(contentLength);
        KeepAlive = _canKeepAlive() && _mode != Mode.CloseDelimited && !Headers.ContainsToken("Connection", "close");
        if (!KeepAlive)
            Headers.Set("Connection", "close");
        WriteStatusAndHeaders();
    }

    private void ChooseFraming(long? contentLength)
    {
        Headers.Remove("Transfer-Encoding");
        _streamingHead = contentLength is null;
        if (!HttpStatus.AllowsBody(_statusCode))
        {
            Headers.Remove("Content-Length");
            _mode = Mode.NoBody;
            return;
        }
        if (contentLength is not null)
            Headers.Set("Content-Length", contentLength.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        long? declared = contentLength ?? DeclaredLength();
        if (declared is not null)
        {
            _mode = Mode.Fixed;
            _declaredLength = declared.Value;
        }
        else if (_http11)
        {
            Headers.Set("Transfer-Encoding", "chunked");
            _mode = Mode.Chunked;
        }
        else
            _mode = Mode.CloseDelimited;
        if (_isHead)
            _mode = Mode.NoBody;
    }

    private long? DeclaredLength()
    {
        try
        {
            return HttpFraming.ContentLength(Headers);
        }
        catch (HttpProtocolException e)
        {
            throw new InvalidOperationException(e.Message);
        }
    }

    private void WriteStatusAndHeaders()
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(_statusCode).Append(' ')
            .Append(ReasonPhrase ?? HttpStatus.ReasonPhrase(_statusCode)).Append("\r\n");
        foreach (var (name, value) in Headers)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        Encoding.UTF8.GetBytes(head.ToString(), _writer);
    }

    private void WriteAscii(string text) => Encoding.ASCII.GetBytes(text, _writer);

    private void ThrowIfStarted()
    {
        if (HasStarted)
            throw new InvalidOperationException("the response has already started");
    }
}
