namespace Berth.Http;

/// <summary>Reason phrases and body rules for the status codes the API uses.</summary>
internal static class HttpStatus
{
    public static string ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    };

    /// <summary>1xx, 204 and 304 responses never have a body, whatever their headers say.</summary>
    public static bool AllowsBody(int statusCode) => statusCode >= 200 && statusCode != 204 && statusCode != 304;
}
