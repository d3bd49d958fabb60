using Berth.Api;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// <c>GET /system/df</c> (images with SharedSize and container counts, containers with SizeRw and SizeRootFs, the size of
/// all layers counted once, volumes with their size and references). <c>POST /build/prune</c> is in <see cref="BuildRoutes"/>.
/// </summary>
public sealed class DiskUsageRoutes(ApiServices services)
{
    public void Map(Router router)
    {
        router.MapGet("/system/df", DiskUsageAsync);
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
                summary.SizeRw = container.WritableLayerSize();
                summary.SizeRootFs = summary.SizeRw + imageSizes.GetValueOrDefault(container.Record.ImageId);
                response.Containers.Add(summary);
            }
        }
        if (Wants("volume"))
        {
            // moby's local driver: the apparent size of the volume's data, and how many containers reference it.
            foreach (var volume in engine.Volumes.List())
            {
                var view = VolumeRoutes.View(volume);
                view.UsageData = new VolumeUsageData { Size = Berth.Engine.Storage.DiskUsage.Of(volume.Mountpoint), RefCount = engine.Volumes.UsersOf(volume.Name).Count };
                response.Volumes.Add(view);
            }
        }
        await context.Response.SendJsonAsync(response, ApiJsonContext.Default.SystemDataUsageResponse, context.RequestAborted);
    }
}
