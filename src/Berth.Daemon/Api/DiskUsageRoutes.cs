using System.Text.Json;
using Berth.Api;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// <c>GET /system/df</c> (images with SharedSize and container counts, containers with SizeRw and SizeRootFs, the size of
/// all layers counted once) and <c>POST /build/prune</c>, which `docker system prune` calls: Berth has no build cache,
/// so there is truly nothing to delete.
/// </summary>
public sealed class DiskUsageRoutes(ApiServices services)
{
    /// <summary>Filled by the volume store once it exists: the swagger Volume objects with their UsageData.</summary>
    public static Func<ApiServices, CancellationToken, Task<List<JsonElement>>>? VolumeUsage { get; set; }

    public void Map(Router router)
    {
        router.MapGet("/system/df", DiskUsageAsync);
        router.MapPost("/build/prune", BuildPruneAsync);
    }

    private async Task DiskUsageAsync(HttpContext context)
    {
        var types = context.Request.Query.GetValues("type").ToHashSet(StringComparer.Ordinal);
        bool Wants(string type) => types.Count == 0 || types.Contains(type);
        foreach (string type in types)
            if (type is not ("container" or "image" or "volume" or "build-cache"))
                throw new ApiException(400, $"unknown object type: {type}");
        var engine = services.Engine;
        var containers = engine.Containers.List();
        var response = new SystemDataUsageResponse { Images = [], Containers = [], Volumes = [], BuildCache = [] };
        var usage = engine.Images.DiskUsage();
        var imageSizes = usage.Images.ToDictionary(i => i.Image.Id, i => i.Image.Size, StringComparer.Ordinal);
        if (Wants("image"))
        {
            response.LayersSize = usage.LayersSize;
            foreach (var (image, shared) in usage.Images)
            {
                var summary = ImageViews.Summary(image, containers.Count(c => c.Record.ImageId == image.Id));
                summary.SharedSize = shared;
                response.Images.Add(summary);
            }
        }
        if (Wants("container"))
        {
            var now = DateTime.UtcNow;
            foreach (var container in containers)
            {
                var summary = ContainerViews.Summary(container, now);
                summary.SizeRw = DirectoryBytes(Path.Combine(container.Directory, "upper"));
                summary.SizeRootFs = summary.SizeRw + imageSizes.GetValueOrDefault(container.Record.ImageId);
                response.Containers.Add(summary);
            }
        }
        if (Wants("volume") && VolumeUsage is { } volumes)
            response.Volumes = await volumes(services, context.RequestAborted);
        await context.Response.SendJsonAsync(response, ApiJsonContext.Default.SystemDataUsageResponse, context.RequestAborted);
    }

    private static async Task BuildPruneAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        await context.Response.SendJsonAsync(new BuildCachePruneResponse { CachesDeleted = [], SpaceReclaimed = 0 }, ApiJsonContext.Default.BuildCachePruneResponse, context.RequestAborted);
    }

    /// <summary>Bytes of the regular files below a directory (symlinks not followed), as moby's directory.Size counts them.</summary>
    internal static long DirectoryBytes(string directory)
    {
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
                if (file.LinkTarget is null)
                    total += file.Length;
        }
        catch (IOException)
        {
            // Removed meanwhile.
        }
        return total;
    }
}
