using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Http;

/// <summary>One client connection: writes requests and reads response heads; bodies are read through body streams.</summary>
internal sealed class ClientConnection : IDisposable
{
    private readonly PipeWriter _writer;

    private ClientConnection(Socket socket)
    {
        Socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        Reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 32 * 1024, minimumReadSize: 8 * 1024, leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public Socket Socket { get; }

    public PipeReader Reader { get; }

    /// <summary>Whether this connection already carried a response (a keep-alive connection from the pool).</summary>
    public bool Reused { get; set; }

    public static async Task<ClientConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        bool isUnix = endPoint is UnixDomainSocketEndPoint;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, isUnix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            if (!isUnix)
                socket.NoDelay = true;
            return new ClientConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task WriteRequestAsync(HttpClientRequest request, string host, string userAgent, bool upgrade, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        head.Append(request.Method).Append(' ').Append(request.Target).Append(" HTTP/1.1\r\n");
        if (!request.Headers.Contains("Host"))
            head.Append("Host: ").Append(host).Append("\r\n");
        if (!request.Headers.Contains("User-Agent"))
            head.Append("User-Agent: ").Append(userAgent).Append("\r\n");
        foreach (var (name, value) in request.Headers.Where(h => !IsFramingHeader(h.Key)))
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (request.Content is { } content)
            head.Append("Content-Length: ").Append(content.Length).Append("\r\n");
        else if (request.ContentStream is not null)
            head.Append("Transfer-Encoding: chunked\r\n");
        else if (request.Method is "POST" or "PUT" or "PATCH")
            head.Append("Content-Length: 0\r\n");
        if (upgrade)
            head.Append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        head.Append("\r\n");
        Encoding.UTF8.GetBytes(head.ToString(), _writer);
        if (request.Content is { } bytes)
            _writer.Write(bytes.Span);
        await _writer.FlushAsync(cancellationToken);
        if (request.ContentStream is { } stream)
            await WriteChunkedAsync(stream, cancellationToken);
    }

    /// <summary>Headers the client writes itself from the body and the upgrade flag.</summary>
    private static bool IsFramingHeader(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);

    private async Task WriteChunkedAsync(Stream body, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                Encoding.ASCII.GetBytes($"{read:x}\r\n", _writer);
                _writer.Write(buffer.AsSpan(0, read));
                _writer.Write("\r\n"u8);
                await _writer.FlushAsync(cancellationToken);
            }
            _writer.Write("0\r\n\r\n"u8);
            await _writer.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The next final response head (1xx other than 101 are skipped); null when the server closed the
    /// connection before sending a byte (a stale keep-alive connection).
    /// </summary>
    public async Task<HttpResponseHead?> ReadHeadAsync(HttpLimits limits, CancellationToken cancellationToken)
    {
        while (true)
        {
            var head = await ReadOneHeadAsync(limits, cancellationToken);
            if (head is null || head.StatusCode >= 200 || head.StatusCode == 101)
                return head;
        }
    }

    private async Task<HttpResponseHead?> ReadOneHeadAsync(HttpLimits limits, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            bool complete;
            string statusLine;
            HttpHeaders headers;
            SequencePosition end;
            try
            {
                complete = HttpHeadReader.TryRead(buffer, limits, out statusLine, out headers, out end, "status line");
            }
            catch
            {
                Reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }
            if (complete)
            {
                Reader.AdvanceTo(end);
                return ParseStatusLine(statusLine, headers);
            }
            Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                return buffer.IsEmpty ? null : throw new IOException("connection closed in the middle of a response head");
        }
    }

    private static HttpResponseHead ParseStatusLine(string line, HttpHeaders headers)
    {
        string[] parts = line.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || parts[1].Length != 3 || !parts[1].All(char.IsAsciiDigit))
            throw new HttpProtocolException(502, $"malformed status line `{line}`");
        int status = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return new HttpResponseHead(status, parts.Length > 2 ? parts[2] : "", headers);
    }

    /// <summary>The response body's stream; <paramref name="reusable"/> tells whether the connection can carry another request afterwards.</summary>
    public BodyReadStream CreateBody(string method, HttpResponseHead head, HttpLimits limits, out bool reusable)
    {
        reusable = !head.Headers.ContainsToken("Connection", "close");
        if (method == "HEAD" || !HttpStatus.AllowsBody(head.StatusCode))
            return new ContentLengthBodyStream(Reader, 0);
        if (HttpFraming.IsChunked(head.Headers))
            return new ChunkedBodyStream(Reader, limits);
        if (HttpFraming.ContentLength(head.Headers) is long length)
            return new ContentLengthBodyStream(Reader, length);
        reusable = false;
        return new CloseDelimitedBodyStream(Reader);
    }

    public void Dispose() => Socket.Dispose();
}
