using Berth.Api;
using Berth.Common;
using Berth.Engine.Images;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// `docker save` (<c>GET /images/get?names=...</c>, <c>GET /images/{name}/get</c>) and `docker import`
/// (<c>POST /images/create?fromSrc=</c>, dispatched here by <see cref="ImageRoutes"/>), with their image events.
/// </summary>
public sealed class ImageArchiveRoutes(ApiServices services)
{
    private const string TarContentType = "application/x-tar";
    private const int TarBatchSize = 1 << 20;
    private static readonly HttpClient Downloads = new() { Timeout = Timeout.InfiniteTimeSpan };

    private ImageStore Images => services.Engine.Images;

    public void Map(Router router)
    {
        router.MapGet("/images/get", SaveAsync);
        router.MapGet("/images/{name*}/get", SaveOneAsync);
    }

    private Task SaveAsync(HttpContext context)
    {
        var names = context.Request.Query.GetValues("names").SelectMany(n => n.Split(',')).Where(n => n.Length > 0).ToList();
        if (names.Count == 0)
            throw new ApiException(400, "no images named");
        return SaveAsync(context, names);
    }

    private Task SaveOneAsync(HttpContext context) => SaveAsync(context, [context.RouteValue("name")]);

    /// <summary>
    /// The archive streams as it is written, in 1 MiB chunks. A missing image is a 404 before any byte goes out; an error
    /// after that can only cut the stream short (the CLI then reports an unexpected EOF, as with moby).
    /// </summary>
    private async Task SaveAsync(HttpContext context, List<string> names)
    {
        using var export = Images.OpenExport(names);
        context.Response.Headers.Set("Content-Type", TarContentType);
        var body = new BufferedStream(context.Response.Body, TarBatchSize);
        await export.WriteToAsync(body, context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
        services.Logger.LogInformation("Saved {Count} image(s): {Names}", export.Images.Count, string.Join(' ', names));
    }

    /// <summary>
    /// `docker import`: the body (<c>fromSrc=-</c>) or a URL's content is a root filesystem tar (plain, gzip or zstd)
    /// that becomes the single layer of a new image; <c>changes</c> edit its config, <c>message</c> is its comment
    /// ("Imported from SRC" by default, as moby's history shows). Answers a JSON message stream ending with the ID.
    /// </summary>
    public async Task ImportAsync(HttpContext context, string source)
    {
        var query = context.Request.Query;
        ImageReference? tag = null;
        if (query["repo"] is { Length: > 0 } repo)
        {
            tag = ImageReference.Parse(repo);
            if (tag.Digest is not null)
                throw new ApiException(400, "cannot import digest reference");
            if (query["tag"] is { Length: > 0 } t)
                tag = tag.WithTag(t);
        }
        var config = ConfigChanges.Apply(null, query.GetValues("changes"));
        string comment = query["message"] is { Length: > 0 } message ? message : "Imported from " + source;
        var ct = context.RequestAborted;
        await using var layer = source == "-" ? context.Request.Body : await DownloadAsync(source, ct);
        var image = await Images.ImportAsync(new NewImage { Layer = layer, Config = config, Comment = comment, Tag = tag }, ct);
        services.Logger.LogInformation("Imported image {Id} from {Source}", image.ShortId, source);
        var output = new JsonMessageWriter(context.Response);
        await output.WriteAsync(new JsonMessage { Status = image.Id }, ct);
        await output.EndAsync(ct);
    }

    /// <summary>moby's import from a URL: http:// is assumed when no scheme is given; only http and https are fetched.</summary>
    private static async Task<Stream> DownloadAsync(string source, CancellationToken ct)
    {
        string url = source.Contains("://", StringComparison.Ordinal) ? source : "http://" + source;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ApiException(400, $"invalid import source: {source}");
        HttpResponseMessage response;
        try
        {
            response = await Downloads.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(500, $"downloading {uri}: {e.Message}");
        }
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new ApiException(500, $"downloading {uri}: {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        return await response.Content.ReadAsStreamAsync(ct);
    }
}
