using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Http;

/// <summary>A parsed request. The body is read lazily from the connection through <see cref="Body"/>.</summary>
public sealed class HttpRequest
{
    /// <summary>The most <see cref="ReadJsonAsync{T}"/> reads before answering 413.</summary>
    public const int MaxJsonBodySize = 16 * 1024 * 1024;

    internal HttpRequest(HttpRequestHead head, Stream body)
    {
        Method = head.Method;
        Target = head.Target;
        ProtocolVersion = head.Version;
        Headers = head.Headers;
        IsChunked = head.Chunked;
        ContentLength = head.Chunked ? null : head.ContentLength;
        Body = body;
        int question = Target.IndexOf('?');
        RawPath = question < 0 ? Target : Target[..question];
        QueryString = question < 0 ? "" : Target[(question + 1)..];
        Path = PercentEncoding.Decode(RawPath, plusIsSpace: false);
        Query = QueryCollection.Parse(QueryString);
    }

    /// <summary>The method as sent (methods are case-sensitive): GET, HEAD, POST...</summary>
    public string Method { get; }

    /// <summary>The request target as sent: path and query, still percent-encoded.</summary>
    public string Target { get; }

    /// <summary>The path as sent, still percent-encoded; the router splits this one, so %2F stays inside a segment.</summary>
    public string RawPath { get; }

    /// <summary>The percent-decoded path.</summary>
    public string Path { get; }

    /// <summary>The query string without '?', still encoded.</summary>
    public string QueryString { get; }

    public QueryCollection Query { get; }

    /// <summary>1.1 or 1.0.</summary>
    public Version ProtocolVersion { get; }

    public HttpHeaders Headers { get; }

    /// <summary>The declared body length; null for a chunked body.</summary>
    public long? ContentLength { get; }

    public bool IsChunked { get; }

    public string? ContentType => Headers.Get("Content-Type");

    /// <summary>The body, read straight off the connection. Empty when the request has none.</summary>
    public Stream Body { get; }

    /// <summary>
    /// Reads the body as JSON with a source-generated <paramref name="typeInfo"/>. Returns default for an
    /// empty body. Malformed JSON is an <see cref="ApiException"/> 400, a body over
    /// <see cref="MaxJsonBodySize"/> an <see cref="ApiException"/> 413.
    /// </summary>
    public async Task<T?> ReadJsonAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var body = new ArrayBufferWriter<byte>();
        while (true)
        {
            int read = await Body.ReadAsync(body.GetMemory(16 * 1024), cancellationToken);
            if (read == 0)
                break;
            body.Advance(read);
            if (body.WrittenCount > MaxJsonBodySize)
                throw new ApiException(413, $"request body larger than {MaxJsonBodySize} bytes");
        }
        if (body.WrittenCount == 0)
            return default;
        try
        {
            return JsonSerializer.Deserialize(body.WrittenSpan, typeInfo);
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"invalid JSON: {e.Message}");
        }
    }
}
