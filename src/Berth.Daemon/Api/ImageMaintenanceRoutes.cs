using Berth.Api;
using Berth.Engine.Images;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary><c>GET /images/{name}/history</c> and <c>POST /images/prune</c>.</summary>
public sealed class ImageMaintenanceRoutes(ApiServices services)
{
    private ImageStore Images => services.Engine.Images;

    public void Map(Router router)
    {
        router.MapGet("/images/{name*}/history", HistoryAsync);
        router.MapPost("/images/prune", PruneAsync);
    }

    /// <summary>moby's ImageHistory for an image without parent chain: the top line carries the ID and tags, the rest <c>&lt;missing&gt;</c>.</summary>
    private Task HistoryAsync(HttpContext context)
    {
        string name = context.RouteValue("name");
        var image = Images.Find(name) ?? throw new ImageNotFoundException(name);
        var items = Images.History(image).Select((entry, i) => new ImageHistoryResponseItem
        {
            Id = i == 0 ? image.Id : "<missing>",
            Created = entry.Created?.ToUnixTimeSeconds() ?? 0,
            CreatedBy = entry.CreatedBy,
            Tags = i == 0 ? [.. image.RepoTags] : [],
            Size = entry.Size,
            Comment = entry.Comment,
        }).ToList();
        return context.Response.SendJsonAsync(items, ApiJsonContext.Default.ListImageHistoryResponseItem, context.RequestAborted);
    }

    /// <summary>Dangling images, or every unused one with dangling=false; untag and delete events per image, then moby's prune event.</summary>
    private Task PruneAsync(HttpContext context)
    {
        var filter = ImagePruneFilter.Parse(context.Request.Query["filters"]);
        var result = Images.Prune(filter.All, filter.Matches, services.Engine.Containers.IsImageInUse);
        var deleted = new List<ImageDeleteResponseItem>();
        foreach (var (_, removal) in result.Removed)
        {
            deleted.AddRange(removal.Untagged.Select(u => new ImageDeleteResponseItem { Untagged = u }));
            deleted.AddRange(removal.Deleted.Select(d => new ImageDeleteResponseItem { Deleted = d }));
        }
        services.Logger.LogInformation("Pruned {Count} image(s), {Bytes} bytes", result.Removed.Count, result.SpaceReclaimed);
        var response = new ImagePruneResponse { ImagesDeleted = deleted.Count > 0 ? deleted : null, SpaceReclaimed = result.SpaceReclaimed };
        return context.Response.SendJsonAsync(response, ApiJsonContext.Default.ImagePruneResponse, context.RequestAborted);
    }
}
