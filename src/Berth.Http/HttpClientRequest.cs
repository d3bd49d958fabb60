using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Http;

/// <summary>
/// A request for <see cref="UnixHttpClient"/>: method, target (path and query, already percent-encoded),
/// headers, and an optional body from bytes (sent with Content-Length) or from a stream (sent chunked).
/// </summary>
public sealed class HttpClientRequest
{
    public HttpClientRequest(string method, string target)
    {
        if (!HttpSyntax.IsToken(method))
            throw new ArgumentException($"invalid method `{method}`", nameof(method));
        if (!HttpSyntax.IsOriginForm(target))
            throw new ArgumentException($"target `{target}` must start with '/' and be percent-encoded", nameof(target));
        Method = method;
        Target = target;
    }

    public string Method { get; }

    public string Target { get; }

    /// <summary>Extra headers. Host and User-Agent default to the client's; framing headers are added by the client.</summary>
    public HttpHeaders Headers { get; } = new();

    /// <summary>A body sent with Content-Length.</summary>
    public ReadOnlyMemory<byte>? Content { get; set; }

    /// <summary>A body sent with <c>Transfer-Encoding: chunked</c>, read to its end (as <c>docker load</c> sends a tar).</summary>
    public Stream? ContentStream { get; set; }

    /// <summary>A request whose body is <paramref name="value"/> as <c>application/json</c>.</summary>
    public static HttpClientRequest Json<T>(string method, string target, T value, JsonTypeInfo<T> typeInfo)
    {
        var request = new HttpClientRequest(method, target) { Content = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo) };
        request.Headers.Set("Content-Type", "application/json");
        return request;
    }
}
