namespace Berth.Http;

/// <summary>
/// Bytes on the wire that break HTTP/1.1: a malformed request line, header or chunk, or a limit exceeded.
/// <see cref="StatusCode"/> is what the server answers (400, 414, 431, 505) before it closes the connection.
/// A handler sees this exception when it reads a malformed chunked body.
/// </summary>
public sealed class HttpProtocolException : IOException
{
    public HttpProtocolException(int statusCode, string message) : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
