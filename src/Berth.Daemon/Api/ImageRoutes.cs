using System.Text.Json;
using Berth.Api;
using Berth.Common;
using Berth.Engine.Images;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// Images: load, list, inspect, tag, remove; pull is in <see cref="RegistryRoutes"/>. Image events (load, tag,
/// untag, delete) are published here, with moby's attributes: the image's labels and its name.
/// </summary>
public sealed class ImageRoutes(ApiServices services)
{
    private ImageStore Images => services.Engine.Images;

    public void Map(Router router)
    {
        router.MapPost("/images/load", LoadAsync);
        router.MapGet("/images/json", ListAsync);
        router.MapPost("/images/create", CreateAsync);
        router.MapGet("/images/{name*}/json", InspectAsync);
        router.MapPost("/images/{name*}/tag", TagAsync);
        router.MapDelete("/images/{name*}", RemoveAsync);
    }

    /// <summary>
    /// Streams the tar body straight into the store. The answer is a JSON message stream with Content-Type exactly
    /// application/json (the CLI renders it only then): progress unless quiet, then "Loaded image: ..." per tag.
    /// The head goes out with the first message, so an archive refused before any progress gets a real error status;
    /// an error after that travels in errorDetail.
    /// </summary>
    private async Task LoadAsync(HttpContext context)
    {
        bool quiet = QueryValues.Bool(context.Request, "quiet");
        var ct = context.RequestAborted;
        var reporter = new ImageLoadReporter();
        var load = Images.LoadAsync(context.Request.Body, quiet ? null : reporter, ct);
        _ = load.ContinueWith(_ => reporter.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var output = new JsonMessageWriter(context.Response);
        await foreach (var message in reporter.Messages.ReadAllAsync(ct))
            await output.WriteAsync(message, ct);
        IReadOnlyList<Image> loaded;
        try
        {
            loaded = await load;
        }
        catch (Exception e) when (context.Response.HasStarted && e is not OperationCanceledException)
        {
            var (_, message, _) = ApiErrors.Map(e);
            services.Logger.LogWarning("Image load failed after progress was sent: {Error}", message);
            await output.WriteAsync(new JsonMessage { ErrorDetail = new ErrorDetail { Message = message }, Error = message }, ct);
            return;
        }
        foreach (var image in loaded)
        {
            services.Logger.LogInformation("Loaded image {Id} {Tags}", image.ShortId, string.Join(' ', image.RepoTags));
            if (image.RepoTags.Count == 0)
                await output.WriteAsync(new JsonMessage { Stream = $"Loaded image ID: {image.Id}\n" }, ct);
            foreach (string tag in image.RepoTags)
                await output.WriteAsync(new JsonMessage { Stream = $"Loaded image: {tag}\n" }, ct);
        }
        await output.EndAsync(ct);
    }

    private Task ListAsync(HttpContext context)
    {
        var filter = ImageListFilter.Parse(context.Request.Query["filters"], Images);
        var containers = services.Engine.Containers.List();
        var images = Images.List();
        // moby hides an untagged image with children (a build's intermediate steps) unless all=1.
        bool all = QueryValues.Bool(context.Request, "all");
        var parents = images.Select(i => i.Parent).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var summaries = images
            .Where(i => all || i.RepoTags.Count > 0 || i.RepoDigests.Count > 0 || !parents.Contains(i.Id))
            .Where(filter.Matches)
            .Select(image => ImageViews.Summary(image, containers.Count(c => c.Record.ImageId == image.Id), filter.ShownTags(image)))
            .ToList();
        return context.Response.SendJsonAsync(summaries, ApiJsonContext.Default.ListImageSummary, context.RequestAborted);
    }

    private Task InspectAsync(HttpContext context)
    {
        string name = context.RouteValue("name");
        var image = Images.Find(name) ?? throw new ImageNotFoundException(name);
        return context.Response.SendJsonAsync(ImageViews.Inspect(image, Images.StorageLayout(image)), ApiJsonContext.Default.ImageInspect, context.RequestAborted);
    }

    private Task TagAsync(HttpContext context)
    {
        string name = context.RouteValue("name");
        var image = Images.Find(name) ?? throw new ImageNotFoundException(name);
        string repo = context.Request.Query["repo"] ?? throw new ApiException(400, "repo is required");
        string tag = context.Request.Query["tag"] is { Length: > 0 } t ? t : ImageReference.DefaultTag;
        var reference = ImageReference.Parse(repo);
        if (reference.Digest is not null)
            throw new ApiException(400, "refusing to create a tag with a digest reference");
        var tagged = reference.WithTag(tag);
        Images.Tag(image, tagged);
        context.Response.StatusCode = 201;
        return Task.CompletedTask;
    }

    private Task RemoveAsync(HttpContext context)
    {
        string name = context.RouteValue("name");
        bool force = QueryValues.Bool(context.Request, "force");
        var result = Images.Remove(name, force, services.Engine.Containers.IsImageInUse, prune: !QueryValues.Bool(context.Request, "noprune"));
        var items = result.Untagged.Select(u => new ImageDeleteResponseItem { Untagged = u })
            .Concat(result.Deleted.Select(d => new ImageDeleteResponseItem { Deleted = d }))
            .ToList();
        services.Logger.LogInformation("Removed image {Name}: {Count} untagged, {Deleted} deleted", name, result.Untagged.Count, result.Deleted.Count);
        return context.Response.SendJsonAsync(items, ApiJsonContext.Default.ListImageDeleteResponseItem, context.RequestAborted);
    }

    /// <summary>docker import (fromSrc); docker pull and the pull of docker run (<see cref="RegistryRoutes.PullAsync"/>).</summary>
    private async Task CreateAsync(HttpContext context)
    {
        if (context.Request.Query["fromSrc"] is { Length: > 0 } source)
        {
            await new ImageArchiveRoutes(services).ImportAsync(context, source);
            return;
        }
        if (string.IsNullOrEmpty(context.Request.Query["fromImage"]))
            throw new ApiException(400, "fromImage or fromSrc is required");
        await new RegistryRoutes(services).PullAsync(context);
    }
}
