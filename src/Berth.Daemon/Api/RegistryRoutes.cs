using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Common;
using Berth.Engine.Images;
using Berth.Http;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// Pull (POST /images/create?fromImage=), push (POST /images/{name}/push) and login (POST /auth) over
/// <see cref="RegistryService"/>. Pull and push answer a JSON message stream: an error before the first message
/// gets its own status (a missing tag is a 404), one after it travels in errorDetail, as moby's streamformatter does.
/// </summary>
public sealed class RegistryRoutes(ApiServices services)
{
    public void Map(Router router)
    {
        router.MapPost("/images/{name*}/push", PushAsync);
        router.MapPost("/auth", AuthAsync);
        router.MapGet("/images/search", SearchAsync);
    }

    /// <summary>
    /// GET /images/search?term=&amp;limit=&amp;filters=: <see cref="ImageSearcher"/>, then moby's filters (is-official,
    /// is-automated, stars: the least number of stars) on what the registry returned.
    /// </summary>
    private async Task SearchAsync(HttpContext context)
    {
        string term = context.Request.Query["term"] ?? "";
        if (term.Length == 0)
            throw new ApiException(400, "a search term is required");
        int limit = QueryValues.Int(context.Request, "limit") is { } given and not 0 ? given : ImageSearcher.DefaultLimit;
        var filters = FilterArgs.Parse(context.Request.Query["filters"]);
        foreach (string name in filters.Names)
            if (name is not ("is-official" or "is-automated" or "stars"))
                throw new InvalidFilterException($"invalid filter '{name}'");
        bool? official = BoolFilter(filters, "is-official"), automated = BoolFilter(filters, "is-automated");
        int stars = 0;
        foreach (string value in filters.Get("stars"))
            stars = Math.Max(stars, int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : throw new InvalidFilterException($"invalid filter 'stars={value}'"));

        var found = await new ImageSearcher(services.Registry).SearchAsync(term, limit, Credentials(context.Request), context.RequestAborted);
        var results = found
            .Where(r => r.StarCount >= stars && (official is null || r.IsOfficial == official) && (automated is null || r.IsAutomated == automated))
            .Select(r => new ImageSearchResponseItem { Name = r.Name, Description = r.Description, StarCount = r.StarCount, IsOfficial = r.IsOfficial, IsAutomated = r.IsAutomated })
            .ToList();
        await context.Response.SendJsonAsync(results, ApiJsonContext.Default.ListImageSearchResponseItem, context.RequestAborted);
    }

    /// <summary>A boolean filter as moby's GetBoolOrDefault: absent is null; "true"/"1" or "false"/"0", anything else a 400.</summary>
    private static bool? BoolFilter(FilterArgs filters, string name)
    {
        var values = filters.Get(name);
        if (values.Count == 0)
            return null;
        bool? result = null;
        foreach (string value in values)
        {
            bool parsed = value.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw new InvalidFilterException($"invalid filter '{name}={value}'"),
            };
            if (result is not null && result != parsed)
                throw new InvalidFilterException($"invalid filter '{name}': conflicting values");
            result = parsed;
        }
        return result;
    }

    public async Task PullAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        string from = context.Request.Query["fromImage"] ?? "";
        string? tag = context.Request.Query["tag"] is { Length: > 0 } t ? t : null;
        var reference = ImageReference.Parse(tag is null ? from : tag.StartsWith("sha256:", StringComparison.Ordinal) ? $"{from}@{tag}" : $"{from}:{tag}");
        var platform = PlatformMatcher.Parse(context.Request.Query["platform"]);
        var credentials = Credentials(context.Request);
        var puller = new ImagePuller(services.Registry, services.Engine.Images);
        // A name without tag or digest pulls every tag of the repository, as moby does (docker pull --all-tags).
        bool allTags = tag is null && !HasTagOrDigest(from);
        await StreamAsync(context, async progress =>
        {
            if (!allTags)
            {
                Pulled(reference, await puller.PullAsync(reference, credentials, platform, progress, context.RequestAborted));
                return 0;
            }
            var tags = await services.Registry.Open(reference, credentials, push: false).ListTagsAsync(context.RequestAborted);
            if (tags.Count == 0)
                throw new RegistryException(RegistryErrorKind.NotFound, $"no tags found for {reference.FamiliarName}");
            foreach (string each in tags)
                Pulled(reference.WithTag(each), await puller.PullAsync(reference.WithTag(each), credentials, platform, progress, context.RequestAborted));
            return tags.Count;
        }, _ => null);
    }

    private void Pulled(ImageReference reference, PullResult result)
    {
        services.Logger.LogInformation("Pulled {Reference} ({Digest}) as image {Id}", reference, result.Digest, result.Image.ShortId);
    }

    private async Task PushAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        string name = context.RouteValue("name");
        var reference = ImageReference.Parse(name);
        string? tag = context.Request.Query["tag"] is { Length: > 0 } t ? t : null;
        if (tag is not null)
            reference = reference.WithTag(tag);
        if (reference.Digest is not null)
            throw new ApiException(400, "cannot push a digest reference");
        var credentials = Credentials(context.Request);
        var pusher = new ImagePusher(services.Registry, services.Engine.Images);
        // A name without a tag pushes every local tag of the repository, as moby does (docker push --all-tags).
        var targets = tag is not null || HasTagOrDigest(name) ? [reference] : LocalTags(reference);
        if (targets.Count == 0)
            throw new ApiException(404, $"An image does not exist locally with the tag: {reference.FamiliarName}");
        await StreamAsync(context, async progress =>
        {
            var results = new List<PushResult>();
            foreach (var target in targets)
            {
                var result = await pusher.PushAsync(target, credentials, progress, context.RequestAborted);
                services.Logger.LogInformation("Pushed {Reference} as {Digest}", target, result.Digest);
                results.Add(result);
            }
            return results;
        }, results =>
        {
            var last = results[^1];
            var aux = new PushResultAux { Tag = last.Tag, Digest = last.Digest, Size = last.Size };
            return new JsonMessage { Progress = "", Aux = JsonSerializer.SerializeToElement(aux, ApiJsonContext.Default.PushResultAux) };
        });
    }

    /// <summary>Whether a reference as the client wrote it names a tag or digest (Parse adds ":latest" to a bare name).</summary>
    private static bool HasTagOrDigest(string reference) =>
        reference.Contains('@') || reference[(reference.LastIndexOf('/') + 1)..].Contains(':');

    /// <summary>The local tags of <paramref name="repository"/>'s name, sorted (moby pushes them in its reference store's order).</summary>
    private List<ImageReference> LocalTags(ImageReference repository) =>
        services.Engine.Images.List()
            .SelectMany(image => image.RepoTags)
            .Select(tag => ImageReference.TryParse(tag, out var parsed) ? parsed : null)
            .OfType<ImageReference>()
            .Where(tag => tag.Name == repository.Name && tag.Tag is not null)
            .DistinctBy(tag => tag.Tag)
            .OrderBy(tag => tag.Tag, StringComparer.Ordinal)
            .ToList();

    /// <summary>POST /auth: the credentials are checked against the registry; 401 with its message when refused.</summary>
    private async Task AuthAsync(HttpContext context)
    {
        var config = await context.Request.ReadJsonAsync(ApiJsonContext.Default.AuthConfig, context.RequestAborted)
            ?? throw new ApiException(400, "a JSON body with the credentials is required");
        var credentials = ToCredentials(config) ?? new RegistryCredentials(null, null);
        await services.Registry.LoginAsync(config.ServerAddress ?? "", credentials, context.RequestAborted);
        await context.Response.SendJsonAsync(new AuthResponse { Status = "Login Succeeded" }, ApiJsonContext.Default.AuthResponse, context.RequestAborted);
    }

    private static async Task StreamAsync<T>(HttpContext context, Func<IProgress<RegistryProgress>, Task<T>> run, Func<T, JsonMessage?> finish)
    {
        var ct = context.RequestAborted;
        var reporter = new RegistryProgressReporter();
        var work = Task.Run(() => run(reporter), ct);
        _ = work.ContinueWith(_ => reporter.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var output = new JsonMessageWriter(context.Response);
        await foreach (var message in reporter.Messages.ReadAllAsync(ct))
            await output.WriteAsync(message, ct);
        T result;
        try
        {
            result = await work;
        }
        catch (Exception e) when (context.Response.HasStarted && e is not OperationCanceledException)
        {
            var (_, text, _) = ApiErrors.Map(e);
            await output.WriteAsync(new JsonMessage { ErrorDetail = new ErrorDetail { Message = text }, Error = text }, ct);
            return;
        }
        if (finish(result) is { } last)
            await output.WriteAsync(last, ct);
        await output.EndAsync(ct);
    }

    /// <summary>X-Registry-Auth: base64url (padded or not) JSON; empty or <c>{}</c> is anonymous.</summary>
    internal static RegistryCredentials? Credentials(HttpRequest request)
    {
        string? header = request.Headers.Get("X-Registry-Auth");
        if (string.IsNullOrWhiteSpace(header))
            return null;
        AuthConfig? config;
        try
        {
            string base64 = header.Trim().Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            config = JsonSerializer.Deserialize(Convert.FromBase64String(base64), ApiJsonContext.Default.AuthConfig);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ApiException(400, $"invalid X-Registry-Auth header: {e.Message}");
        }
        return config is null ? null : ToCredentials(config);
    }

    private static RegistryCredentials? ToCredentials(AuthConfig config)
    {
        string? user = config.Username;
        string? password = config.Password;
        if (string.IsNullOrEmpty(user) && config.Auth is { Length: > 0 } auth)
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            int colon = pair.IndexOf(':');
            (user, password) = colon < 0 ? (pair, "") : (pair[..colon], pair[(colon + 1)..]);
        }
        if (string.IsNullOrEmpty(user) && string.IsNullOrEmpty(config.IdentityToken))
            return null;
        return new RegistryCredentials(user, password, config.IdentityToken);
    }
}
