namespace Berth.Http;

/// <summary>A parsed status line and header fields, as the client reads them.</summary>
internal sealed record HttpResponseHead(int StatusCode, string ReasonPhrase, HttpHeaders Headers);
