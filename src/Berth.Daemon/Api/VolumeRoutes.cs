using System.Globalization;
using Berth.Api;
using Berth.Engine.Volumes;
using Berth.Http;
using Microsoft.Extensions.Logging;
using Core = Berth.Engine.Volumes;

namespace Berth.Daemon.Api;

/// <summary><c>/volumes</c>: list with filters, create, inspect, remove, prune (moby api/server/router/volume).</summary>
public sealed class VolumeRoutes(ApiServices services)
{
    private VolumeStore Volumes => services.Engine.Volumes;

    public void Map(Router router)
    {
        router.MapGet("/volumes", ListAsync);
        router.MapPost("/volumes/create", CreateAsync);
        router.MapPost("/volumes/prune", PruneAsync);
        router.MapGet("/volumes/{name}", InspectAsync);
        router.MapDelete("/volumes/{name}", RemoveAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        var filter = VolumeFilter.ForList(context.Request.Query["filters"], Volumes.InUse);
        var response = new VolumeListResponse { Volumes = Volumes.List().Where(filter.Matches).Select(View).ToList() };
        return context.Response.SendJsonAsync(response, ApiJsonContext.Default.VolumeListResponse, context.RequestAborted);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.VolumeCreateRequest, context.RequestAborted) ?? new VolumeCreateRequest();
        if (request.ClusterVolumeSpec is { ValueKind: not System.Text.Json.JsonValueKind.Null })
            throw new ApiException(400, "cluster volumes are not supported by Berth (it has no swarm)");
        var volume = Volumes.Create(request.Name, request.Driver, request.DriverOpts, request.Labels);
        services.Logger.LogInformation("Created volume {Name}", volume.Name);
        context.Response.StatusCode = 201;
        await context.Response.SendJsonAsync(View(volume), ApiJsonContext.Default.Volume, context.RequestAborted);
    }

    private Task InspectAsync(HttpContext context) =>
        context.Response.SendJsonAsync(View(Volumes.Get(context.RouteValue("name"))), ApiJsonContext.Default.Volume, context.RequestAborted);

    private Task RemoveAsync(HttpContext context)
    {
        string name = context.RouteValue("name");
        Volumes.Remove(name, QueryValues.Bool(context.Request, "force"));
        services.Logger.LogInformation("Removed volume {Name}", name);
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    /// <summary>Docker 23+: anonymous volumes only, unless the filter <c>all=true</c> (`volume prune -a`).</summary>
    private Task PruneAsync(HttpContext context)
    {
        var filter = VolumeFilter.ForPrune(context.Request.Query["filters"]);
        var (deleted, reclaimed) = Volumes.Prune(filter.All, filter.Matches);
        var response = new VolumePruneResponse { VolumesDeleted = deleted, SpaceReclaimed = reclaimed };
        return context.Response.SendJsonAsync(response, ApiJsonContext.Default.VolumePruneResponse, context.RequestAborted);
    }

    /// <summary>A volume in the API's shape; empty labels and options are null, as moby's local driver reports them.</summary>
    public static Berth.Api.Volume View(Core.Volume volume) => new()
    {
        Name = volume.Name,
        Driver = volume.Driver,
        Mountpoint = volume.Mountpoint,
        CreatedAt = volume.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        Labels = volume.Labels.Count > 0 ? volume.Labels : null,
        Scope = "local",
        Options = volume.Options.Count > 0 ? volume.Options : null,
    };
}
