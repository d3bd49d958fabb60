using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Engine.Images;

namespace Berth.Registry;

/// <summary>
/// The distribution protocol for one repository of one registry, with one set of credentials: the /v2/ ping that
/// picks the scheme (an insecure registry: https unverified, then plain http, as dockerd's service_v2.go) and learns
/// the auth challenge; Bearer tokens for the repository scopes (anonymous, Basic credentials or an identity token)
/// or Basic auth; retries with doubling delays for connection errors, timeouts, 5xx and 429 (Retry-After honoured,
/// capped); redirects followed with the Authorization header kept only on the registry's own host.
/// </summary>
public sealed class RegistryClient
{
    private const int MaxRedirects = 10;
    private const int MaxManifestBytes = 4 << 20;
    private const int MaxErrorBytes = 64 << 10;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);
    private readonly RegistryService _service;
    private readonly RegistryCredentials? _credentials;
    private readonly List<string> _scopes;
    private Uri? _base;
    private AuthChallenge? _challenge;

    internal RegistryClient(RegistryService service, RegistryEndpoint endpoint, string? repository, RegistryCredentials? credentials, IEnumerable<string> scopes)
    {
        _service = service;
        Endpoint = endpoint;
        Repository = repository;
        _credentials = credentials;
        _scopes = scopes.ToList();
    }

    public RegistryEndpoint Endpoint { get; }

    public string? Repository { get; }

    /// <summary>The base URI the ping settled on (https://host/ or http://host/).</summary>
    public Uri? BaseUri => _base;

    private HttpClient Http => _service.Transport.For(Endpoint);

    private RegistryOptions Options => _service.Options;

    /// <summary>
    /// Logs in as Docker's /auth does: pings /v2/ and proves the credentials (a token from the token server, or a
    /// 200 to /v2/ with Basic auth). A registry that asks for nothing accepts anyone.
    /// </summary>
    public async Task LoginAsync(CancellationToken ct)
    {
        await PingAsync(ct);
        if (_challenge is null)
            return;
        if (_challenge.IsBearer)
        {
            await GetTokenAsync(_challenge, [], ct);
            return;
        }
        // Docker's wording (registry/auth.go loginV2) for a refused password.
        string refused = $"login attempt to {new Uri(_base!, "v2/")} failed with status: 401 Unauthorized";
        try
        {
            using var response = await SendAsync(HttpMethod.Get, "v2/", null, retry: true, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new RegistryException(RegistryErrorKind.Unauthorized, $"login attempt to {new Uri(_base!, "v2/")} failed with status: {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (RegistryException e) when (e.Kind == RegistryErrorKind.Unauthorized && e.InnerException is null && !e.Message.StartsWith("login", StringComparison.Ordinal))
        {
            throw new RegistryException(RegistryErrorKind.Unauthorized, refused, e);
        }
    }

    /// <summary>
    /// GET a manifest by tag or digest with Docker's Accept list. By digest, the bytes must hash to it. Returns the
    /// bytes as served, their media type (Content-Type, else the body's mediaType) and their digest.
    /// </summary>
    public async Task<(byte[] Bytes, string MediaType, string Digest)> GetManifestAsync(string reference, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{Repository}/manifests/{reference}",
            request => request.Headers.Accept.ParseAdd(string.Join(", ", MediaTypes.Accept)), retry: true, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new RegistryException(RegistryErrorKind.NotFound, $"manifest for {Endpoint.Domain}/{Repository}{(reference.Contains(':') ? "@" : ":")}{reference} not found: {await ErrorTextAsync(response, ct)}");
        await EnsureSuccessAsync(response, ct);
        byte[] bytes = await ReadBoundedAsync(response, MaxManifestBytes, "manifest", ct);
        string digest = Berth.Engine.Images.Digest.Of(bytes);
        if (reference.Contains(':') && digest != reference)
            throw new RegistryException(RegistryErrorKind.Unavailable, $"manifest verification failed for digest {reference}: the registry sent content with digest {digest}");
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsImageManifest(mediaType))
        {
            // No or a generic Content-Type: the body says what it is (an OCI manifest's mediaType is optional).
            var document = RegistryJsonContext.Parse(bytes, RegistryJsonContext.Default.ManifestDocument, "manifest");
            mediaType = document.SchemaVersion == 1 ? MediaTypes.DockerSchema1
                : document.MediaType ?? (document.Manifests is not null ? MediaTypes.OciIndex : document.Config is not null ? MediaTypes.OciManifest : mediaType ?? "");
        }
        return (bytes, mediaType ?? "", digest);
    }

    /// <summary>
    /// Every tag of the repository (GET tags/list, pages followed through their <c>Link: &lt;...&gt;; rel="next"</c>), in the
    /// registry's order; for <c>pull --all-tags</c>.
    /// </summary>
    public Task<List<string>> ListTagsAsync(CancellationToken ct) =>
        ListPagesAsync($"v2/{Repository}/tags/list", "tag list", body => RegistryJsonContext.Parse(body, RegistryJsonContext.Default.TagList, "tag list").Tags,
            int.MaxValue, $"repository {Endpoint.Domain}/{Repository} not found", ct);

    /// <summary>
    /// The registry's repositories (GET /v2/_catalog, 100 a page), at most <paramref name="max"/>; for search. Registries
    /// may refuse the catalog (Docker Hub, most hosted ones): a 404 or 401 then says so.
    /// </summary>
    public async Task<List<string>> ListRepositoriesAsync(int max, CancellationToken ct)
    {
        try
        {
            return await ListPagesAsync("v2/_catalog?n=100", "catalog", body => RegistryJsonContext.Parse(body, RegistryJsonContext.Default.RepositoryCatalog, "catalog").Repositories,
                max, $"{Endpoint.Domain} does not list its repositories (GET /v2/_catalog is not offered)", ct);
        }
        catch (RegistryException e) when (e.Kind == RegistryErrorKind.Unauthorized)
        {
            throw new RegistryException(RegistryErrorKind.Unauthorized, $"{Endpoint.Domain} refused to list its repositories (GET /v2/_catalog): {e.Message}", e);
        }
    }

    /// <summary>A paginated list (tags, catalog): pages followed through their Link header, at most <paramref name="max"/> entries.</summary>
    private async Task<List<string>> ListPagesAsync(string first, string what, Func<byte[], List<string>?> entries, int max, string notFound, CancellationToken ct)
    {
        var all = new List<string>();
        string? next = first;
        for (int page = 0; next is not null && page < 1000 && all.Count < max; page++)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, retry: true, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new RegistryException(RegistryErrorKind.NotFound, $"{notFound}: {await ErrorTextAsync(response, ct)}");
            await EnsureSuccessAsync(response, ct);
            all.AddRange(entries(await ReadBoundedAsync(response, MaxManifestBytes, what, ct)) ?? []);
            next = response.Headers.TryGetValues("Link", out var links) ? NextPage(links.FirstOrDefault()) : null;
        }
        return all.Count > max ? all[..max] : all;
    }

    /// <summary>
    /// GET /v1/search?q=&amp;n= as dockerd searches an index: Docker Hub's, or a registry that kept the v1 search API
    /// (found at the base the /v2/ ping settled on). Null when the registry has no such API (404), as registry 2.x.
    /// </summary>
    public async Task<List<SearchResult>?> SearchV1Async(string query, int limit, bool ping, CancellationToken ct)
    {
        Uri root = Endpoint.HttpsUri;
        if (ping)
        {
            await PingAsync(ct);
            root = _base!;
        }
        var uri = new Uri(root, $"v1/search?q={Uri.EscapeDataString(query)}&n={limit}");
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), retry: true, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, ct);
        byte[] body = await ReadBoundedAsync(response, MaxManifestBytes, "search result", ct);
        return RegistryJsonContext.Parse(body, RegistryJsonContext.Default.SearchResponse, "search result").Results ?? [];
    }

    /// <summary><c>&lt;/v2/x/tags/list?last=a&amp;n=100&gt;; rel="next"</c> → the path and query, relative to the registry's base.</summary>
    private static string? NextPage(string? link)
    {
        if (link is null || !link.Contains("rel=\"next\"", StringComparison.Ordinal))
            return null;
        int open = link.IndexOf('<'), close = link.IndexOf('>');
        return open < 0 || close <= open ? null : link[(open + 1)..close].TrimStart('/');
    }

    /// <summary>A small blob (a config), read whole and checked against its digest and size.</summary>
    public async Task<byte[]> GetBlobBytesAsync(string digest, long size, CancellationToken ct)
    {
        if (size > MaxManifestBytes * 2L)
            throw new RegistryException(RegistryErrorKind.Unavailable, $"config blob {digest} is too large ({size} bytes)");
        using var response = await OpenBlobAsync(digest, ct);
        byte[] bytes = await ReadBoundedAsync(response, (int)size, $"blob {digest}", ct);
        if (bytes.Length != size || Berth.Engine.Images.Digest.Of(bytes) != digest)
            throw new RegistryException(RegistryErrorKind.Unavailable, $"blob {digest} failed verification: {bytes.Length} bytes with digest {Berth.Engine.Images.Digest.Of(bytes)}");
        return bytes;
    }

    /// <summary>GET a blob; the caller reads (and verifies) the body. Redirects to storage backends are followed.</summary>
    public async Task<HttpResponseMessage> OpenBlobAsync(string digest, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, $"v2/{Repository}/blobs/{digest}", null, retry: true, ct);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new RegistryException(RegistryErrorKind.NotFound, $"blob {digest} not found in {Endpoint.Domain}/{Repository}");
            await EnsureSuccessAsync(response, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<bool> BlobExistsAsync(string digest, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, $"v2/{Repository}/blobs/{digest}", null, retry: true, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, ct);
        return true;
    }

    /// <summary>
    /// Starts an upload, asking to mount <paramref name="digest"/> from <paramref name="mountFrom"/> (same registry)
    /// when given: null when the registry mounted it (201), else the upload session's location.
    /// </summary>
    public async Task<Uri?> StartUploadAsync(string? digest, string? mountFrom, CancellationToken ct)
    {
        string query = mountFrom is null ? "" : $"?mount={Uri.EscapeDataString(digest!)}&from={Uri.EscapeDataString(mountFrom)}";
        using var response = await SendAsync(HttpMethod.Post, $"v2/{Repository}/blobs/uploads/{query}",
            request => request.Content = new ByteArrayContent([]), retry: false, ct);
        if (mountFrom is not null && response.StatusCode == HttpStatusCode.Created)
            return null;
        if (response.StatusCode != HttpStatusCode.Accepted)
            await EnsureSuccessAsync(response, ct, expected: "202 Accepted");
        return LocationOf(response);
    }

    /// <summary>
    /// Uploads a blob into a session: one streamed PATCH (what dockerd sends), then PUT <c>?digest=</c>. Registry
    /// 2.8 changes the session's <c>_state</c> on every PATCH, so each step follows the latest Location.
    /// </summary>
    public async Task UploadAsync(Uri location, Stream content, long size, string digest, CancellationToken ct)
    {
        using (var patch = await SendAsync(HttpMethod.Patch, location.ToString(), request =>
        {
            request.Content = new StreamContent(content, 1 << 16);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Content.Headers.ContentLength = size;
        }, retry: false, ct))
        {
            if (patch.StatusCode != HttpStatusCode.Accepted)
                await EnsureSuccessAsync(patch, ct, expected: "202 Accepted");
            location = LocationOf(patch);
        }
        string separator = location.Query.Length > 0 ? "&" : "?";
        using var put = await SendAsync(HttpMethod.Put, $"{location}{separator}digest={Uri.EscapeDataString(digest)}",
            request => request.Content = new ByteArrayContent([]), retry: false, ct);
        if (put.StatusCode != HttpStatusCode.Created)
            await EnsureSuccessAsync(put, ct, expected: "201 Created");
    }

    /// <summary>Uploads a small blob whole (a config).</summary>
    public async Task PushBlobAsync(byte[] bytes, string digest, CancellationToken ct)
    {
        if (await BlobExistsAsync(digest, ct))
            return;
        var location = await StartUploadAsync(null, null, ct);
        using var content = new MemoryStream(bytes, writable: false);
        await UploadAsync(location!, content, bytes.Length, digest, ct);
    }

    /// <summary>PUT a manifest under a tag or digest; returns the digest of the bytes sent.</summary>
    public async Task<string> PutManifestAsync(string reference, byte[] bytes, string mediaType, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, $"v2/{Repository}/manifests/{reference}", request =>
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }, retry: true, ct);
        if (response.StatusCode != HttpStatusCode.Created)
            await EnsureSuccessAsync(response, ct, expected: "201 Created");
        return Berth.Engine.Images.Digest.Of(bytes);
    }

    /// <summary>GET /v2/: settles the scheme and records the auth challenge (null when the registry wants none).</summary>
    private async Task PingAsync(CancellationToken ct)
    {
        if (_base is not null)
            return;
        Uri[] candidates = Endpoint.Insecure ? [Endpoint.HttpsUri, Endpoint.HttpUri] : [Endpoint.HttpsUri];
        for (int i = 0; ; i++)
        {
            try
            {
                using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(candidates[i], "v2/")), retry: i + 1 == candidates.Length, ct);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Unauthorized))
                    throw new RegistryException(RegistryErrorKind.Unavailable, $"{new Uri(candidates[i], "v2/")} is not a registry: {(int)response.StatusCode} {response.ReasonPhrase}");
                _challenge = response.StatusCode == HttpStatusCode.Unauthorized ? AuthChallenge.From(response) : null;
                _base = candidates[i];
                return;
            }
            catch (RegistryException e) when (i + 1 < candidates.Length && e.InnerException is HttpRequestException)
            {
                // Not TLS: try plain HTTP, as dockerd does for an insecure registry.
            }
        }
    }

    /// <summary>Sends with auth (adding it before the first attempt once the challenge is known, renewing it after a 401), retries and redirects.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathOrUri, Action<HttpRequestMessage>? configure, bool retry, CancellationToken ct)
    {
        await PingAsync(ct);
        var uri = new Uri(_base!, pathOrUri);
        bool renewed = false;
        for (int redirects = 0; ; )
        {
            string? authorization = SameHost(uri) ? await AuthorizationAsync(ct) : null;
            var response = await SendRawAsync(() =>
            {
                var request = new HttpRequestMessage(method, uri);
                if (authorization is not null)
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                configure?.Invoke(request);
                return request;
            }, retry, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && SameHost(uri) && !renewed && AuthChallenge.From(response) is { } challenge)
            {
                response.Dispose();
                renewed = true;
                _challenge = challenge;
                if (challenge.IsBearer && challenge.Scope is { } scope && !_scopes.Contains(scope))
                    _scopes.Add(scope);
                continue;
            }
            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location && (method == HttpMethod.Get || method == HttpMethod.Head))
            {
                response.Dispose();
                if (++redirects > MaxRedirects)
                    throw new RegistryException(RegistryErrorKind.Unavailable, $"too many redirects fetching {pathOrUri} from {Endpoint.Domain}");
                uri = new Uri(uri, location);
                continue;
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                using (response)
                    throw new RegistryException(RegistryErrorKind.Unauthorized, $"{method} \"{uri}\": {await ErrorTextAsync(response, ct)}");
            }
            return response;
        }
    }

    private bool SameHost(Uri uri) => Uri.Compare(uri, _base, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private async Task<string?> AuthorizationAsync(CancellationToken ct)
    {
        if (_challenge is null)
            return null;
        if (_challenge.IsBearer)
            return "Bearer " + await GetTokenAsync(_challenge, _scopes, ct);
        if (_credentials is { HasPassword: true })
            return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credentials.Username}:{_credentials.Password}"));
        throw new RegistryException(RegistryErrorKind.Unauthorized, $"{Endpoint.Domain}: no basic auth credentials");
    }

    /// <summary>
    /// A token for these scopes (distribution's token.md): GET the realm with service and scope, with Basic credentials
    /// when there are some; with an identity token, the OAuth2 refresh_token grant (POST) as Docker does.
    /// </summary>
    private async Task<string> GetTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        string key = TokenCache.Key(challenge, scopes, _credentials?.Username);
        if (_service.Tokens.Get(key) is { } cached)
            return cached;
        if (challenge.Realm is null || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm))
            throw new RegistryException(RegistryErrorKind.Unavailable, $"{Endpoint.Domain} sent a Bearer challenge without a valid realm");
        var query = new StringBuilder();
        void Add(string name, string value) => query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        if (challenge.Service is { } service)
            Add("service", service);
        foreach (string scope in scopes)
            Add("scope", scope);
        Add("client_id", "berth");
        if (_credentials?.Username is { Length: > 0 } user)
            Add("account", user);
        string? identityToken = _credentials?.IdentityToken is { Length: > 0 } it ? it : null;
        using var response = await SendRawAsync(() =>
        {
            var request = identityToken is null
                ? new HttpRequestMessage(HttpMethod.Get, new Uri(realm, query.ToString()))
                : new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(TokenForm(challenge, scopes, identityToken)) };
            if (identityToken is null && _credentials is { HasPassword: true })
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credentials.Username}:{_credentials.Password}")));
            return request;
        }, retry: true, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new RegistryException(RegistryErrorKind.Unauthorized, $"Get \"{realm}\": unauthorized: {await ErrorTextAsync(response, ct)}");
        await EnsureSuccessAsync(response, ct);
        byte[] body = await ReadBoundedAsync(response, MaxManifestBytes, "token", ct);
        var answer = RegistryJsonContext.Parse(body, RegistryJsonContext.Default.TokenResponse, "token answer");
        string token = answer.Token is { Length: > 0 } t ? t : answer.AccessToken is { Length: > 0 } a ? a
            : throw new RegistryException(RegistryErrorKind.Unavailable, $"the token server {realm} sent no token");
        _service.Tokens.Put(key, token, answer.ExpiresIn);
        return token;
    }

    private static Dictionary<string, string> TokenForm(AuthChallenge challenge, IReadOnlyList<string> scopes, string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["service"] = challenge.Service ?? "",
        ["scope"] = string.Join(' ', scopes),
        ["client_id"] = "berth",
    };

    /// <summary>
    /// One request, retried when <paramref name="retry"/> on connection errors, head timeouts, 5xx and 429, at most
    /// <see cref="RegistryOptions.MaxAttempts"/> times with doubling delays: an unreachable or failing registry gives
    /// a clear error within seconds, never a hang.
    /// </summary>
    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> create, bool retry, CancellationToken ct)
    {
        int attempts = retry ? Math.Max(1, Options.MaxAttempts) : 1;
        for (int attempt = 1; ; attempt++)
        {
            using var request = create();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException)
            {
                string why = e is OperationCanceledException ? $"no answer within {Options.RequestTimeout.TotalSeconds:0} s" : e.Message;
                if (attempt < attempts)
                {
                    await Task.Delay(Delay(attempt, null), ct);
                    continue;
                }
                throw new RegistryException(RegistryErrorKind.Unavailable, $"{request.Method} \"{request.RequestUri}\": {why}", e);
            }
            if (attempt < attempts && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests))
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                response.Dispose();
                await Task.Delay(Delay(attempt, retryAfter), ct);
                continue;
            }
            return response;
        }
    }

    private TimeSpan Delay(int attempt, TimeSpan? retryAfter) =>
        retryAfter is { } after ? (after > MaxRetryAfter ? MaxRetryAfter : after) : Options.RetryDelay * (1 << (attempt - 1));

    private static Uri LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new RegistryException(RegistryErrorKind.Unavailable, "the registry started an upload without a Location");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct, string? expected = null)
    {
        if (response.IsSuccessStatusCode && expected is null)
            return;
        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => RegistryErrorKind.Unauthorized,
            HttpStatusCode.NotFound => RegistryErrorKind.NotFound,
            HttpStatusCode.BadRequest => RegistryErrorKind.InvalidParameter,
            _ => RegistryErrorKind.Unavailable,
        };
        string text = await ErrorTextAsync(response, ct);
        throw new RegistryException(kind, $"{response.RequestMessage?.Method} \"{response.RequestMessage?.RequestUri}\": {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}");
    }

    /// <summary>The registry's error body rendered as Docker does (<c>manifest unknown: manifest unknown</c>), or the status.</summary>
    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(response, MaxErrorBytes, "error", ct, truncate: true);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            body = [];
        }
        try
        {
            var errors = System.Text.Json.JsonSerializer.Deserialize(body, RegistryJsonContext.Default.RegistryErrors);
            if (errors?.Errors is { Count: > 0 })
                return errors.ToString();
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return response.StatusCode == HttpStatusCode.Unauthorized ? "authentication required" : $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, int limit, string what, CancellationToken ct, bool truncate = false)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16 << 10];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                if (truncate)
                    break;
                throw new RegistryException(RegistryErrorKind.Unavailable, $"the registry's {what} is larger than {limit} bytes");
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
