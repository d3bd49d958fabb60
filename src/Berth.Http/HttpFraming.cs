namespace Berth.Http;

/// <summary>How a message body is delimited (RFC 9112 §6): Content-Length or chunked.</summary>
internal static class HttpFraming
{
    /// <summary>
    /// Whether the body is chunked. Throws when Transfer-Encoding names anything but "chunked",
    /// or comes together with Content-Length (a request-smuggling vector, RFC 9112 §6.1).
    /// </summary>
    public static bool IsChunked(HttpHeaders headers)
    {
        if (!headers.Contains("Transfer-Encoding"))
            return false;
        if (headers.Contains("Content-Length"))
            throw new HttpProtocolException(400, "both Content-Length and Transfer-Encoding");
        var codings = headers.GetValues("Transfer-Encoding")
            .SelectMany(v => v.Split(','))
            .Select(c => c.Trim())
            .Where(c => c.Length > 0)
            .ToList();
        if (codings.Count != 1 || !string.Equals(codings[0], "chunked", StringComparison.OrdinalIgnoreCase))
            throw new HttpProtocolException(501, $"unsupported Transfer-Encoding `{string.Join(", ", codings)}`");
        return true;
    }

    /// <summary>The Content-Length, or null without one. Repeated values must agree.</summary>
    public static long? ContentLength(HttpHeaders headers)
    {
        long? length = null;
        foreach (var value in headers.GetValues("Content-Length"))
            foreach (var part in value.Split(','))
            {
                long parsed = ParseLength(part.Trim());
                if (length is not null && length != parsed)
                    throw new HttpProtocolException(400, "conflicting Content-Length values");
                length = parsed;
            }
        return length;
    }

    private static long ParseLength(string text)
    {
        if (text.Length is 0 or > 18 || !text.All(char.IsAsciiDigit))
            throw new HttpProtocolException(400, $"invalid Content-Length `{text}`");
        return long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
