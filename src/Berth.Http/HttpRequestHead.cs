namespace Berth.Http;

/// <summary>A parsed request line and header fields, with the body framing they declare.</summary>
internal sealed record HttpRequestHead(
    string Method, string Target, Version Version, HttpHeaders Headers, bool Chunked, long ContentLength);
