using System.Diagnostics;
using System.Globalization;
using Berth.Engine.Processes;
using Berth.Network;
using Berth.Network.Files;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// Gives the container its network before it launches, by `--network`: a user or the default bridge network gets a
/// fresh namespace (<see cref="Network.NetworkSandbox"/>) with its veth, address, default route and published ports;
/// `host` joins the namespace of Berth's networking (berthd's --network-namespace); `container:NAME` joins that
/// running container's; `none` leaves the launcher's empty one. In every mode berthd writes /etc/hosts, /etc/hostname
/// and /etc/resolv.conf into the container's directory and binds them over the image's (unless the user bound them).
/// Release, on exit or a failed start: the endpoint is disconnected (lease, nft elements, port reservations) and
/// the namespace unmounted, which deletes the veth with it. Without networking (berthd --network-namespace none,
/// <paramref name="networks"/> null) the default network is loopback only, and the files are written all the same.
/// </summary>
public sealed class NetworkStep(NetworkManager? networks, string sandboxDirectory, string hostNamespacePath, Func<string, Container> findContainer, ILogger? logger = null) : IStartStep, IDisposable
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    // Empty namespaces made ahead; filled on the first start that needs one, emptied when idle.
    private readonly NetworkNamespacePool _namespaces = new(onRefillError: e =>
        (logger ?? NullLogger.Instance).LogWarning("Could not make a network namespace ahead of a start: {Error}", e.Message));

    private static readonly string[] Files = ["hosts", "hostname", "resolv.conf"];

    /// <summary>Where the containers' network namespaces are mounted, one file per container ID.</summary>
    public static string SandboxDirectory(string dataRoot) => Path.Combine(dataRoot, "netns");

    public string Name => "network";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        var container = context.Container;
        var spec = context.Spec ?? throw new InvalidOperationException("the network step needs the spec step before it");
        var host = container.Record.HostConfig;
        string mode = host.NetworkMode is "" or "default" ? NetworkDrivers.DefaultNetwork : host.NetworkMode;
        if (networks is null && mode == NetworkDrivers.DefaultNetwork)
            mode = NetworkDrivers.NoneNetwork;
        string hostname = spec.Hostname;
        var addresses = new List<string>();
        System.Net.IPAddress? resolver = null;
        if (mode == NetworkDrivers.HostNetwork)
        {
            spec.NetworkNamespace = hostNamespacePath;
            hostname = spec.Hostname = Environment.MachineName;
        }
        else if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            var other = findContainer(mode["container:".Length..]);
            if (!other.State.Running || other.State.Pid <= 0)
                throw new ContainerStartException(128, $"cannot join network namespace of a non running container: {other.Id}");
            spec.NetworkNamespace = $"/proc/{other.State.Pid.ToString(CultureInfo.InvariantCulture)}/ns/net";
        }
        else if (mode != NetworkDrivers.NoneNetwork)
        {
            if (networks is null)
                throw new ContainerStartException(128, $"network {mode}: berthd runs without networking (--network-namespace none)");
            // NetworkMode's network, unless `network disconnect` took it away, then those `network connect` added.
            var attachments = new List<NetworkAttachment>();
            if (!host.NetworkModeDisconnected)
                attachments.Add(new NetworkAttachment { Network = networks.Get(mode).Id, Aliases = host.NetworkAliases, Links = host.Links, IPv4Address = host.IPv4Address, MacAddress = host.MacAddress });
            attachments.AddRange(host.ConnectedNetworks ?? []);
            if (attachments.Count == 0)
            {
                WriteFiles(context, hostname, addresses, resolver, []);
                return Task.CompletedTask; // no network left: the launcher's empty namespace, as moby's sandbox without endpoints
            }
            string sandbox = Path.Combine(sandboxDirectory, container.Id);
            long begin = Stopwatch.GetTimestamp();
            NetworkSandbox.Remove(sandbox);
            using var ready = _namespaces.Take();
            NetworkSandbox.Create(sandbox, ready);
            context.NetworkSandbox = sandbox;
            long created = Stopwatch.GetTimestamp();
            TimeSpan connecting = TimeSpan.Zero, wiring = TimeSpan.Zero;
            var ports = PublishedPorts.Of(container.Record);
            var links = new List<HostsFile.Link>();
            for (int i = 0; i < attachments.Count; i++)
            {
                long before = Stopwatch.GetTimestamp();
                var network = networks.Get(attachments[i].Network);
                // On a user network links are DNS aliases of this container's endpoint and --dns its resolver's upstreams.
                var endpoint = networks.Connect(network.Id, container.Id, container.Name, attachments[i].IPv4Address, attachments[i].Aliases ?? [],
                    network.IsDefaultBridge ? [] : attachments[i].Links ?? [], "eth" + i.ToString(CultureInfo.InvariantCulture), persist: false, dns: host.Dns, macAddress: attachments[i].MacAddress);
                context.NetworkId ??= network.Id;
                long connected = Stopwatch.GetTimestamp();
                // The first network has the default route and the published ports, as moby's default gateway endpoint.
                endpoint = networks.Wire(network.Id, container.Id, sandbox, i == 0 ? ports : Array.Empty<PortMapping>(), defaultRoute: i == 0, ready.Inside);
                connecting += Stopwatch.GetElapsedTime(before, connected);
                wiring += Stopwatch.GetElapsedTime(connected);
                addresses.Add(endpoint.IPv4Address);
                resolver ??= networks.ResolverOf(network);
                if (network.IsDefaultBridge)
                    links.AddRange(LegacyLinks(context, network.Id));
            }
            long wired = Stopwatch.GetTimestamp();
            spec.NetworkNamespace = sandbox;
            WriteFiles(context, hostname, addresses, resolver, links);
            // Per phase, to see where the step's time goes (Wire includes the ports: veth, inside, nft, lease save).
            _logger.LogDebug("Network step of {Container}: sandbox {Sandbox:F2} ms, connect {Connect:F2} ms, wire ({Ports} ports) {Wire:F2} ms, files {Files:F2} ms",
                container.Id[..12], Stopwatch.GetElapsedTime(begin, created).TotalMilliseconds, connecting.TotalMilliseconds,
                ports.Count, wiring.TotalMilliseconds, Stopwatch.GetElapsedTime(wired).TotalMilliseconds);
            return Task.CompletedTask;
        }
        WriteFiles(context, hostname, addresses, resolver, []);
        return Task.CompletedTask;
    }

    /// <summary>
    /// `--link NAME:ALIAS` on the default bridge (moby's setupLinkedContainers): each linked container must run; its
    /// address goes into /etc/hosts and Docker's link variables into the environment, under the container's own.
    /// </summary>
    private List<HostsFile.Link> LegacyLinks(StartContext context, string networkId)
    {
        var container = context.Container;
        var result = new List<HostsFile.Link>();
        foreach (string link in container.Record.HostConfig.Links ?? [])
        {
            string[] parts = link.Split(':');
            string name = parts[0].TrimStart('/'), alias = parts[^1].TrimStart('/');
            Container child;
            try
            {
                child = findContainer(name);
            }
            catch (ContainerNotFoundException)
            {
                throw new ContainerStartException(128, $"Cannot link to /{name}, as it does not exist");
            }
            var endpoint = networks!.EndpointsOf(child.Id).FirstOrDefault(e => e.Network.Id == networkId).Endpoint;
            if (!child.State.Running || endpoint is null)
                throw new ContainerStartException(128, $"Cannot link to a non running container: /{child.Name} AS /{container.Name}/{alias}");
            result.Add(new HostsFile.Link(alias, endpoint.IPv4Address, ContainerSpecBuilder.Hostname(child.Id, child.Record.Config), child.Name));
            var env = context.Spec!.Env;
            foreach (string variable in LinkEnvironment.Of(alias, $"/{container.Name}/{alias}", endpoint.IPv4Address, child.Record))
                if (!env.Any(e => e.StartsWith(variable[..(variable.IndexOf('=') + 1)], StringComparison.Ordinal)))
                    env.Add(variable);
        }
        return result;
    }

    private void WriteFiles(StartContext context, string hostname, List<string> addresses, System.Net.IPAddress? resolver, List<HostsFile.Link> links)
    {
        string directory = context.Container.Directory;
        string hostResolvConf = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        var host = context.Container.Record.HostConfig;
        var contents = new[]
        {
            HostsFile.Build(hostname, addresses, links, ExtraHosts(host.ExtraHosts)),
            HostsFile.Hostname(hostname),
            ResolvConf.ForContainer(hostResolvConf, host.Dns ?? [], host.DnsSearch ?? [], host.DnsOptions ?? [], resolver),
        };
        var spec = context.Spec!;
        for (int i = 0; i < Files.Length; i++)
        {
            string path = Path.Combine(directory, Files[i]);
            File.WriteAllText(path, contents[i]);
            string destination = "/etc/" + Files[i];
            if (!spec.Mounts.Any(m => m.Destination == destination))
                spec.Mounts.Add(new InitSpec.InitMount { Source = path, Destination = destination });
        }
    }

    /// <summary>`--add-host NAME:host-gateway` names the default bridge's gateway, as dockerd's HostGatewayIP defaults to.</summary>
    private List<string> ExtraHosts(List<string>? extraHosts)
    {
        var result = new List<string>();
        foreach (string extra in extraHosts ?? [])
        {
            int separator = extra.IndexOf('=') is int eq and >= 0 ? eq : extra.IndexOf(':');
            if (separator <= 0 || extra[(separator + 1)..] != "host-gateway")
            {
                result.Add(extra);
                continue;
            }
            string gateway = networks?.List().FirstOrDefault(n => n.IsDefaultBridge)?.Gateway
                ?? throw new ContainerStartException(128, "unable to derive the IP value for host-gateway: berthd runs without networking (--network-namespace none)");
            result.Add(extra[..separator] + ":" + gateway);
        }
        return result;
    }

    public Task ReleaseAsync(StartContext context)
    {
        // Every network it is on: the step's, and those `network connect` added while it ran.
        if (context.NetworkId is not null && networks is not null)
        {
            foreach (var (network, _) in networks.EndpointsOf(context.Container.Id))
                networks.Disconnect(network.Id, context.Container.Id, deleteInterface: false, durable: false);
            context.NetworkId = null;
        }
        if (context.NetworkSandbox is { } sandbox)
        {
            NetworkSandbox.Remove(sandbox);
            context.NetworkSandbox = null;
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _namespaces.Dispose();
}
