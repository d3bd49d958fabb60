namespace Berth.Http;

/// <summary>Handles one request: reads <see cref="HttpContext.Request"/>, answers through <see cref="HttpContext.Response"/> or hijacks.</summary>
public delegate Task HttpHandler(HttpContext context);
