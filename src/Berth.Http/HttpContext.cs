namespace Berth.Http;

/// <summary>One request on a connection, with its response, as a handler sees it.</summary>
public sealed class HttpContext
{
    private static readonly IReadOnlyDictionary<string, string> NoRouteValues = new Dictionary<string, string>();
    private readonly HttpConnection _connection;

    internal HttpContext(HttpConnection connection, HttpRequest request, HttpResponse response, CancellationToken requestAborted)
    {
        _connection = connection;
        Request = request;
        Response = response;
        RequestAborted = requestAborted;
    }

    public HttpRequest Request { get; }

    /// <summary>A number for the connection the request came on, unique within the server, for logs.</summary>
    public long ConnectionId => _connection.Id;

    public HttpResponse Response { get; }

    /// <summary>
    /// Cancelled when the client goes away while the handler runs (seen once the request body has been read;
    /// a client that half-closes counts as gone, as in Go's server), or when the server stops for good.
    /// A hijacked handler watches <see cref="HijackedConnection.Input"/> instead.
    /// </summary>
    public CancellationToken RequestAborted { get; }

    /// <summary>The API version from a <c>/v1.NN/</c> path prefix; null for an unversioned path. Set by <see cref="Router"/>.</summary>
    public Version? ApiVersion { get; internal set; }

    /// <summary>Values of the route template's parameters, percent-decoded. Set by <see cref="Router"/>.</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; internal set; } = NoRouteValues;

    /// <summary>Whether the client asked for a hijack: <c>Connection: Upgrade</c> and an <c>Upgrade</c> header.</summary>
    public bool IsUpgradeRequest =>
        Request.Headers.ContainsToken("Connection", "upgrade") && Request.Headers.Contains("Upgrade");

    internal HijackedConnection? Hijacked { get; set; }

    /// <summary>The value of route parameter <paramref name="name"/>.</summary>
    public string RouteValue(string name) =>
        RouteValues.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"no route value `{name}`");

    /// <summary>
    /// Takes over the connection. Sends exactly <see cref="HttpResponse.StatusCode"/>,
    /// <see cref="HttpResponse.ReasonPhrase"/> and <see cref="HttpResponse.Headers"/> (no header added),
    /// after reading off whatever request body the handler left. Docker's attach sets
    /// 101 "UPGRADED" with Content-Type, <c>Connection: Upgrade</c> and <c>Upgrade: tcp</c>.
    /// The server completes the returned connection when the handler returns, if the handler did not.
    /// </summary>
    public Task<HijackedConnection> HijackAsync(CancellationToken cancellationToken = default) =>
        _connection.HijackAsync(this, cancellationToken);
}
