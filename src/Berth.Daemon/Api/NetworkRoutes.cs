using Berth.Api;
using Berth.Http;
using Berth.Network;
using Berth.Network.Ipam;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// /networks: list (filters name, id, label, driver, type, dangling), inspect, create, delete, prune, with Engine
/// API 1.50's field shapes; connect and disconnect of running containers.
/// </summary>
public sealed class NetworkRoutes(ApiServices services, NetworkManager networks)
{
    public void Map(Router router)
    {
        router.MapGet("/networks", ListAsync);
        router.MapPost("/networks/create", CreateAsync);
        router.MapPost("/networks/prune", PruneAsync);
        router.MapGet("/networks/{id}", InspectAsync);
        router.MapDelete("/networks/{id}", DeleteAsync);
        router.MapPost("/networks/{id}/connect", ConnectAsync);
        router.MapPost("/networks/{id}/disconnect", DisconnectAsync);
    }

    /// <summary>
    /// Connects a running container that has its own network namespace (bridge or user network): a new interface
    /// (eth1, eth2, ...) with an address on the network, no default route (the first network keeps it). Not yet:
    /// connecting a stopped container (Docker records it for the next start), or one without a namespace of its own.
    /// </summary>
    private async Task ConnectAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.NetworkConnectRequest, context.RequestAborted)
            ?? throw new ApiException(400, "network connect: body required");
        var network = Get(context.RouteValue("id"));
        var container = services.Engine.Containers.Get(request.Container);
        string sandbox = Path.Combine(Berth.Engine.Containers.Start.NetworkStep.SandboxDirectory(services.Options.DataRoot), container.Id);
        if (!container.State.Running || !File.Exists(sandbox))
            throw new ApiException(400, $"not supported by Berth yet: connecting container {request.Container}, which is not running on a bridge network, to another network");
        var endpoint = request.EndpointConfig;
        string name = "eth" + networks.EndpointsOf(container.Id).Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Run(() => networks.Connect(network.Id, container.Id, container.Name, endpoint?.IPAMConfig?.IPv4Address,
            endpoint?.Aliases ?? [], [], name));
        try
        {
            Run(() => networks.Wire(network.Id, container.Id, sandbox, [], defaultRoute: false));
        }
        catch
        {
            networks.Disconnect(network.Id, container.Id);
            throw;
        }
        context.Response.StatusCode = 200;
    }

    private async Task DisconnectAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.NetworkConnectRequest, context.RequestAborted)
            ?? throw new ApiException(400, "network disconnect: body required");
        var network = Get(context.RouteValue("id"));
        var container = services.Engine.Containers.Get(request.Container);
        Run(() => { networks.Disconnect(network.Id, container.Id, deleteInterface: true); return true; });
        context.Response.StatusCode = 200;
    }

    private Task ListAsync(HttpContext context)
    {
        var filters = FilterArgs.Parse(context.Request.Query["filters"]);
        var list = networks.List().Where(n => Matches(n, filters)).OrderBy(n => n.Name).Select(View).ToList();
        return context.Response.SendJsonAsync(list, ApiJsonContext.Default.ListNetworkResource, context.RequestAborted);
    }

    private Task InspectAsync(HttpContext context) =>
        context.Response.SendJsonAsync(View(Get(context.RouteValue("id"))), ApiJsonContext.Default.NetworkResource, context.RequestAborted);

    private async Task CreateAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.NetworkCreateRequest, context.RequestAborted)
            ?? throw new ApiException(400, "network create: body required");
        if (request.EnableIPv6 == true)
            throw new ApiException(400, "IPv6 networks are not supported by Berth yet");
        if (request.IPAM?.Config is { Count: > 1 })
            throw new ApiException(400, "Berth networks have one IPv4 subnet");
        var ipam = request.IPAM?.Config?.FirstOrDefault();
        var options = new NetworkCreateOptions
        {
            Name = request.Name,
            Driver = string.IsNullOrEmpty(request.Driver) ? NetworkDrivers.Bridge : request.Driver,
            Subnet = ipam?.Subnet,
            Gateway = ipam?.Gateway,
            IpRange = ipam?.IPRange,
            Internal = request.Internal,
            Attachable = request.Attachable,
            Labels = request.Labels ?? [],
            Options = request.Options ?? [],
        };
        var network = Run(() => networks.Create(options));
        services.Logger.LogInformation("Created network {Name} {Subnet} on {Bridge}", network.Name, network.Subnet, network.BridgeName);
        context.Response.StatusCode = 201;
        await context.Response.SendJsonAsync(new NetworkCreateResponse { Id = network.Id }, ApiJsonContext.Default.NetworkCreateResponse, context.RequestAborted);
    }

    private Task DeleteAsync(HttpContext context)
    {
        Run(() => { networks.Remove(context.RouteValue("id")); return true; });
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private Task PruneAsync(HttpContext context)
    {
        var filters = FilterArgs.Parse(context.Request.Query["filters"]);
        var deleted = new List<string>();
        foreach (var network in networks.List().Where(n => !NetworkDrivers.IsPredefined(n.Name) && n.Endpoints.Count == 0 && Matches(n, filters)))
        {
            try
            {
                networks.Remove(network.Id);
                deleted.Add(network.Name);
            }
            catch (NetworkException)
            {
                // A container connected between the listing and the removal: kept, as Docker keeps it.
            }
        }
        return context.Response.SendJsonAsync(new NetworkPruneResponse { NetworksDeleted = deleted }, ApiJsonContext.Default.NetworkPruneResponse, context.RequestAborted);
    }

    private NetworkRecord Get(string idOrName) => Run(() => networks.Get(idOrName));

    /// <summary>NetworkException's kind to Docker's status (moby errdefs: invalid parameter, not found, conflict, forbidden).</summary>
    private static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (NetworkException e)
        {
            throw new ApiException(ApiErrors.StatusOf(e.Kind), e.Message);
        }
    }

    private static bool Matches(NetworkRecord network, FilterArgs filters)
    {
        foreach (string name in filters.Names)
        {
            var values = filters.Get(name);
            bool ok = name switch
            {
                "name" => values.Any(v => network.Name.Contains(v, StringComparison.Ordinal)),
                "id" => values.Any(v => network.Id.StartsWith(v, StringComparison.Ordinal)),
                "driver" => values.Contains(network.Driver),
                "scope" => values.Contains("local"),
                "type" => values.Any(v => v == (NetworkDrivers.IsPredefined(network.Name) ? "builtin" : "custom")),
                "dangling" => values.Any(v => (v is "true" or "1") == (network.Endpoints.Count == 0 && !NetworkDrivers.IsPredefined(network.Name))),
                "label" => values.All(v => v.Split('=', 2) is var kv
                    && network.Labels.TryGetValue(kv[0], out string? actual) && (kv.Length == 1 || actual == kv[1])),
                _ => throw new ApiException(400, $"invalid filter '{name}'"),
            };
            if (!ok)
                return false;
        }
        return true;
    }

    private static NetworkResource View(NetworkRecord network)
    {
        int prefix = network.Subnet is null ? 0 : Ipv4Cidr.Parse(network.Subnet).PrefixLength;
        return new NetworkResource
        {
            Name = network.Name,
            Id = network.Id,
            Created = network.Created == DateTimeOffset.MinValue ? "0001-01-01T00:00:00Z" : network.Created.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
            Driver = network.Driver,
            Internal = network.Internal,
            Attachable = network.Attachable,
            IPAM = new NetworkIpam
            {
                Config = network.Subnet is null ? [] : [new IpamConfig { Subnet = network.Subnet, Gateway = network.Gateway, IPRange = network.IpRange }],
                Options = [],
            },
            Containers = network.Endpoints.Values.ToDictionary(e => e.ContainerId, e => new NetworkContainer
            {
                Name = e.ContainerName,
                EndpointID = e.EndpointId,
                MacAddress = e.MacAddress,
                IPv4Address = $"{e.IPv4Address}/{prefix}",
            }),
            Options = new(network.Options),
            Labels = new(network.Labels),
        };
    }
}
