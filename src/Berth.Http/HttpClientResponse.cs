using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Http;

/// <summary>
/// A response read by <see cref="UnixHttpClient"/>. The head is parsed; <see cref="Body"/> reads the body
/// off the connection as it arrives (a chunked stream such as logs -f, events or /wait delivers each chunk
/// when it comes). Dispose it: a connection whose body was read to the end goes back to the pool.
/// </summary>
public sealed class HttpClientResponse : IAsyncDisposable, IDisposable
{
    private readonly UnixHttpClient _client;
    private readonly ClientConnection _connection;
    private readonly BodyReadStream _body;
    private readonly bool _reusable;
    private bool _disposed;

    internal HttpClientResponse(UnixHttpClient client, ClientConnection connection, HttpResponseHead head, BodyReadStream body, bool reusable)
    {
        _client = client;
        _connection = connection;
        _body = body;
        _reusable = reusable;
        StatusCode = head.StatusCode;
        ReasonPhrase = head.ReasonPhrase;
        Headers = head.Headers;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public HttpHeaders Headers { get; }

    public Stream Body => _body;

    public bool IsSuccessStatusCode => StatusCode is >= 200 and <= 299;

    public async Task<byte[]> ReadAsBytesAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new MemoryStream();
        await _body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async Task<string> ReadAsStringAsync(CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString(await ReadAsBytesAsync(cancellationToken));

    /// <summary>The body as JSON, with a source-generated <paramref name="typeInfo"/>.</summary>
    public async Task<T?> ReadJsonAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        JsonSerializer.Deserialize(await ReadAsBytesAsync(cancellationToken), typeInfo);

    /// <summary>Throws <see cref="ApiException"/> with the status and the body's "message" unless the status is 2xx.</summary>
    public async Task EnsureSuccessAsync(CancellationToken cancellationToken = default)
    {
        if (IsSuccessStatusCode)
            return;
        byte[] body = await ReadAsBytesAsync(cancellationToken);
        throw new ApiException(StatusCode, ErrorBody.ReadMessage(body));
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_reusable && _body.IsComplete)
            _client.Return(_connection);
        else
            _connection.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
