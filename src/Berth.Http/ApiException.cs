namespace Berth.Http;

/// <summary>
/// An error a handler throws to answer with a Docker-style error: the status code and the JSON body
/// <c>{"message": Message}</c>. The client throws it too, for an error response.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int statusCode, string message) : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
