using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Http;

namespace Berth.Cli.Api;

/// <summary>
/// The Engine API as berth uses it: one keep-alive pool and fresh connections for hijacks (so the requests
/// land on the same connections as the docker CLI's), a HEAD /_ping first to negotiate the version, every
/// later path prefixed <c>/v1.NN</c>, error answers raised as <see cref="DaemonErrorException"/> and an
/// unreachable socket as <see cref="DaemonUnavailableException"/>.
/// </summary>
public sealed class DaemonClient : IAsyncDisposable
{
    private readonly DaemonHost _host;
    private readonly UnixHttpClient _http;
    private string? _version;

    public DaemonClient(DaemonHost host)
    {
        _host = host;
        _http = new UnixHttpClient(host.EndPoint) { UserAgent = ClientVersion.UserAgent };
    }

    public DaemonHost Host => _host;

    /// <summary>The negotiated API version; <see cref="NegotiateAsync"/> must have run.</summary>
    public string ApiVersion => _version ?? throw new InvalidOperationException("the API version is not negotiated yet");

    /// <summary>The Ostype the daemon reported in its ping.</summary>
    public string? OsType { get; private set; }

    /// <summary>
    /// HEAD /_ping (GET when HEAD does not answer 200 or 500), as every docker command starts; the version is
    /// the lower of the daemon's Api-Version and berth's.
    /// </summary>
    public async Task NegotiateAsync(CancellationToken cancellationToken)
    {
        if (_version is not null)
            return;
        HttpClientResponse? response = null;
        try
        {
            response = await SendAsync(new HttpClientRequest("HEAD", "/_ping"), cancellationToken);
            if (response.StatusCode is not (200 or 500))
            {
                response.Dispose();
                response = await SendAsync(new HttpClientRequest("GET", "/_ping"), cancellationToken);
                await response.ReadAsBytesAsync(cancellationToken);
            }
            _version = ApiVersionNumber.Negotiate(response.Headers.Get("Api-Version"));
            OsType = response.Headers.Get("Ostype");
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>"/v1.50" + <paramref name="pathAndQuery"/>.</summary>
    public string Versioned(string pathAndQuery) => "/v" + ApiVersion + pathAndQuery;

    /// <summary>Sends a request (its target already versioned); only an unreachable daemon throws here.</summary>
    public async Task<HttpClientResponse> SendAsync(HttpClientRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (SocketException e) when (IsConnectFailure(e))
        {
            throw DaemonUnavailableException.For(_host.Address, e);
        }
    }

    /// <summary>Sends a request to the versioned <paramref name="pathAndQuery"/> and throws for a status of 400 or more.</summary>
    public async Task<HttpClientResponse> SendCheckedAsync(HttpClientRequest request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken);
        try
        {
            await ThrowIfErrorAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<T> GetJsonAsync<T>(string pathAndQuery, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        byte[] body = await GetBytesAsync(pathAndQuery, cancellationToken);
        return Deserialize(body, typeInfo);
    }

    public async Task<byte[]> GetBytesAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(new HttpClientRequest("GET", Versioned(pathAndQuery)), cancellationToken);
        return await response.ReadAsBytesAsync(cancellationToken);
    }

    /// <summary>A POST without a body whose answer is read and dropped; 304 counts as success, as in the docker client.</summary>
    public Task PostAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAndDrainAsync(new HttpClientRequest("POST", Versioned(pathAndQuery)), cancellationToken);

    public Task DeleteAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAndDrainAsync(new HttpClientRequest("DELETE", Versioned(pathAndQuery)), cancellationToken);

    public async Task<TResponse> SendJsonAsync<TResponse>(HttpClientRequest request, JsonTypeInfo<TResponse> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(request, cancellationToken);
        return Deserialize(await response.ReadAsBytesAsync(cancellationToken), typeInfo);
    }

    /// <summary>
    /// A hijacked POST (attach) on a fresh connection, with <c>Content-Type: text/plain</c> and an empty body
    /// as the docker CLI sends it; any status but 101 is an error.
    /// </summary>
    public Task<HijackedStream> HijackAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var request = new HttpClientRequest("POST", Versioned(pathAndQuery));
        request.Headers.Set("Content-Type", "text/plain");
        return HijackAsync(request, cancellationToken);
    }

    /// <summary>
    /// A hijacked POST with a JSON body (exec start: <c>Content-Type: application/json</c> and <c>Upgrade: tcp</c> on one
    /// request, docker-api-notes §4.1); any status but 101 is an error.
    /// </summary>
    public Task<HijackedStream> HijackJsonAsync(string pathAndQuery, string json, CancellationToken cancellationToken) =>
        HijackAsync(JsonRequest("POST", pathAndQuery, json), cancellationToken);

    /// <summary>
    /// A request whose body is <paramref name="json"/> as the Go client sends it (json.Encoder: the JSON and a
    /// newline), with <c>Content-Type: application/json</c>.
    /// </summary>
    public HttpClientRequest JsonRequest(string method, string pathAndQuery, string json)
    {
        var request = new HttpClientRequest(method, Versioned(pathAndQuery)) { Content = System.Text.Encoding.UTF8.GetBytes(json + "\n") };
        request.Headers.Set("Content-Type", "application/json");
        return request;
    }

    private async Task<HijackedStream> HijackAsync(HttpClientRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.HijackAsync(request, cancellationToken);
        }
        catch (SocketException e) when (IsConnectFailure(e))
        {
            throw DaemonUnavailableException.For(_host.Address, e);
        }
    }

    public static async Task ThrowIfErrorAsync(HttpClientResponse response, CancellationToken cancellationToken)
    {
        if (response.StatusCode < 400)
            return;
        byte[] body = await response.ReadAsBytesAsync(cancellationToken);
        throw new DaemonErrorException(response.StatusCode, ErrorMessage(response.StatusCode, body));
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private async Task SendAndDrainAsync(HttpClientRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(request, cancellationToken);
        await response.ReadAsBytesAsync(cancellationToken);
    }

    private static T Deserialize<T>(byte[] body, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw new JsonException("the daemon answered null");
        }
        catch (JsonException e)
        {
            throw new IOException($"invalid answer from the daemon: {e.Message}", e);
        }
    }

    /// <summary>The <c>message</c> of an error body, else the body as text, else the status (as the Go client words it).</summary>
    private static string ErrorMessage(int status, byte[] body)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body, Berth.Api.ApiJsonContext.Default.ErrorResponse);
            if (!string.IsNullOrEmpty(error?.Message))
                return error.Message;
        }
        catch (JsonException)
        {
        }
        string text = System.Text.Encoding.UTF8.GetString(body).Trim();
        return text.Length > 0 ? text : $"page not found (status {status})";
    }

    private static bool IsConnectFailure(SocketException e) => e.SocketErrorCode is SocketError.ConnectionRefused
        or SocketError.AddressNotAvailable or SocketError.AccessDenied or SocketError.HostNotFound or SocketError.HostUnreachable
        or SocketError.NetworkUnreachable or SocketError.TimedOut or SocketError.NoData or SocketError.TryAgain;
}
