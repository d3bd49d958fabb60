using System.Buffers;

namespace Berth.Http;

/// <summary>
/// Parses a request head: <c>METHOD SP origin-target SP HTTP/1.x</c>, header fields, and the body framing.
/// Anything else is an <see cref="HttpProtocolException"/> carrying the status to answer with.
/// </summary>
internal static class HttpRequestParser
{
    public static bool TryParse(ReadOnlySequence<byte> buffer, HttpLimits limits, out HttpRequestHead head, out SequencePosition end)
    {
        head = null!;
        if (!HttpHeadReader.TryRead(buffer, limits, out string line, out var headers, out end))
            return false;
        head = Parse(line, headers);
        return true;
    }

    private static HttpRequestHead Parse(string requestLine, HttpHeaders headers)
    {
        string[] parts = requestLine.Split(' ');
        if (parts.Length != 3)
            throw new HttpProtocolException(400, "malformed request line");
        if (!HttpSyntax.IsToken(parts[0]))
            throw new HttpProtocolException(400, "malformed request method");
        if (!HttpSyntax.IsOriginForm(parts[1]))
            throw new HttpProtocolException(400, "malformed request target");
        var version = ParseVersion(parts[2]);
        bool chunked = HttpFraming.IsChunked(headers);
        long length = chunked ? 0 : HttpFraming.ContentLength(headers) ?? 0;
        return new HttpRequestHead(parts[0], parts[1], version, headers, chunked, length);
    }

    private static Version ParseVersion(string text) => text switch
    {
        "HTTP/1.1" => System.Net.HttpVersion.Version11,
        "HTTP/1.0" => System.Net.HttpVersion.Version10,
        _ when text.Length == 8 && text.StartsWith("HTTP/", StringComparison.Ordinal) && char.IsAsciiDigit(text[5])
            && text[6] == '.' && char.IsAsciiDigit(text[7]) => throw new HttpProtocolException(505, $"unsupported protocol {text}"),
        _ => throw new HttpProtocolException(400, "malformed protocol version"),
    };
}
