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
    /// Connects a container. A running one with a namespace of its own (bridge or user network) gets a new interface
    /// (eth1, eth2, ...) with an address on the network, no default route (the first network keeps it). Either way the
    /// connection is recorded in the container's config, so a created or stopped container joins the network at its
    /// next start, as dockerd does (docker-compose 1.29 creates, disconnects, connects with aliases, then starts).
    /// </summary>
    private async Task ConnectAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.NetworkConnectRequest, context.RequestAborted)
            ?? throw new ApiException(400, "network connect: body required");
        var network = Get(context.RouteValue("id"));
        var container = services.Engine.Containers.Get(request.Container);
        var host = container.Record.HostConfig;
        CheckSharesNoNamespace(host, network);
        var endpoint = request.EndpointConfig;
        var attachment = new Berth.Engine.Containers.NetworkAttachment
        {
            Network = network.Id,
            Aliases = endpoint?.Aliases is { Count: > 0 } aliases ? [.. aliases] : null,
            Links = endpoint?.Links is { Count: > 0 } links ? [.. links] : null,
            IPv4Address = endpoint?.IPAMConfig?.IPv4Address is { Length: > 0 } ip ? ip : null,
            MacAddress = endpoint?.MacAddress is { Length: > 0 } mac ? CreateRequestMapper.MacAddress(mac) : null,
        };
        bool primary = PrimaryNetworkId(host) == network.Id;
        string sandbox = Path.Combine(Berth.Engine.Containers.Start.NetworkStep.SandboxDirectory(services.Options.DataRoot), container.Id);
        if (container.State.Running)
        {
            if (!File.Exists(sandbox))
                throw new ApiException(400, $"not supported by Berth yet: connecting container {request.Container}, which runs without a network namespace of its own, to another network");
            string name = "eth" + networks.EndpointsOf(container.Id).Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Run(() => networks.Connect(network.Id, container.Id, container.Name, attachment.IPv4Address,
                attachment.Aliases ?? [], network.IsDefaultBridge ? [] : attachment.Links ?? [], name, dns: host.Dns, macAddress: attachment.MacAddress));
            try
            {
                Run(() => networks.Wire(network.Id, container.Id, sandbox, [], defaultRoute: false));
            }
            catch
            {
                networks.Disconnect(network.Id, container.Id);
                throw;
            }
        }
        else
        {
            // Checked now as the live connect checks them, so the start does not fail later.
            if (network.IsDefaultBridge && attachment.Aliases is not null)
                throw new ApiException(400, "network-scoped alias is supported only for containers in user defined networks");
            if (network.IsDefaultBridge && attachment.IPv4Address is not null)
                throw new ApiException(400, "user specified IP address is supported on user defined networks only");
            bool connected = primary ? !host.NetworkModeDisconnected : host.ConnectedNetworks?.Any(n => n.Network == network.Id) == true;
            if (connected)
                throw new ApiException(403, $"endpoint with name {container.Name} already exists in network {network.Name}");
        }
        services.Engine.Containers.UpdateHostConfig(container.Id, h =>
        {
            if (primary)
            {
                h.NetworkModeDisconnected = false;
                h.NetworkAliases = attachment.Aliases;
                h.IPv4Address = attachment.IPv4Address;
                h.MacAddress = attachment.MacAddress;
                if (!network.IsDefaultBridge)
                    h.Links = attachment.Links;
            }
            else
                h.ConnectedNetworks = [.. (h.ConnectedNetworks ?? []).Where(n => n.Network != network.Id), attachment];
        });
        context.Response.StatusCode = 200;
    }

    private async Task DisconnectAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.NetworkConnectRequest, context.RequestAborted)
            ?? throw new ApiException(400, "network disconnect: body required");
        var network = Get(context.RouteValue("id"));
        var container = services.Engine.Containers.Get(request.Container);
        var host = container.Record.HostConfig;
        CheckSharesNoNamespace(host, network);
        bool primary = PrimaryNetworkId(host) == network.Id;
        if (container.State.Running)
            Run(() => { networks.Disconnect(network.Id, container.Id, deleteInterface: true); return true; });
        else if (primary ? host.NetworkModeDisconnected : host.ConnectedNetworks?.Any(n => n.Network == network.Id) != true)
            throw new ApiException(403, $"container {container.Id} is not connected to network {network.Name}");
        services.Engine.Containers.UpdateHostConfig(container.Id, h =>
        {
            if (primary)
                h.NetworkModeDisconnected = true;
            else
                h.ConnectedNetworks = h.ConnectedNetworks?.Where(n => n.Network != network.Id).ToList() is { Count: > 0 } rest ? rest : null;
        });
        context.Response.StatusCode = 200;
    }

    /// <summary>The ID of the network NetworkMode names (bridge for "default"), or null for host, none, container: or a deleted one.</summary>
    private string? PrimaryNetworkId(Berth.Engine.Containers.HostConfig host)
    {
        string mode = host.NetworkMode is "" or "default" ? NetworkDrivers.DefaultNetwork : host.NetworkMode;
        return networks.List().FirstOrDefault(n => n.IsBridge && (n.Name == mode || n.Id == mode))?.Id;
    }

    /// <summary>moby's runconfig conflicts: a container on host, none or another's namespace joins no bridge network.</summary>
    private static void CheckSharesNoNamespace(Berth.Engine.Containers.HostConfig host, NetworkRecord network)
    {
        if (!network.IsBridge)
            throw new ApiException(400, "container cannot be disconnected from host network or connected to host network");
        if (host.NetworkMode is NetworkDrivers.HostNetwork || host.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
            throw new ApiException(400, "container sharing network namespace with another container or host cannot be connected to any other network");
        if (host.NetworkMode is NetworkDrivers.NoneNetwork)
            throw new ApiException(400, "container cannot be connected to multiple networks with one of the networks in private (none) mode");
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
