namespace Berth.Http;

/// <summary>Size limits on a message head (request or response) and on chunked-body trailers.</summary>
/// <param name="MaxFirstLine">Longest request or status line, in bytes; a longer request line gets 414.</param>
/// <param name="MaxHeaderLine">Longest single header line; a longer one gets 431.</param>
/// <param name="MaxHead">Longest whole head (first line, headers and blank line); more gets 431.</param>
/// <param name="MaxHeaderCount">Most header fields; more gets 431.</param>
public sealed record HttpLimits(int MaxFirstLine = 8192, int MaxHeaderLine = 8192, int MaxHead = 65536, int MaxHeaderCount = 100)
{
    public static HttpLimits Default { get; } = new();
}
