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
public sealed class NetworkStep(NetworkManager? networks, string sandboxDirectory, string hostNamespacePath, Func<string, Container> findContainer, ILogger? logger = null) : IStartStep
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

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
            var network = networks.Get(mode);
            string sandbox = Path.Combine(sandboxDirectory, container.Id);
            long begin = Stopwatch.GetTimestamp();
            NetworkSandbox.Remove(sandbox);
            NetworkSandbox.Create(sandbox);
            context.NetworkSandbox = sandbox;
            long created = Stopwatch.GetTimestamp();
            var endpoint = networks.Connect(network.Id, container.Id, container.Name, host.IPv4Address, host.NetworkAliases ?? [], [], persist: false);
            context.NetworkId = network.Id;
            long connected = Stopwatch.GetTimestamp();
            var ports = PublishedPorts.Of(container.Record);
            endpoint = networks.Wire(network.Id, container.Id, sandbox, ports, defaultRoute: true);
            long wired = Stopwatch.GetTimestamp();
            spec.NetworkNamespace = sandbox;
            addresses.Add(endpoint.IPv4Address);
            resolver = networks.ResolverOf(network);
            WriteFiles(context, hostname, addresses, resolver);
            // Per phase, to see where the step's time goes (Wire includes the ports: veth, inside, nft, lease save).
            _logger.LogDebug("Network step of {Container}: sandbox {Sandbox:F2} ms, connect {Connect:F2} ms, wire ({Ports} ports) {Wire:F2} ms, files {Files:F2} ms",
                container.Id[..12], Stopwatch.GetElapsedTime(begin, created).TotalMilliseconds, Stopwatch.GetElapsedTime(created, connected).TotalMilliseconds,
                ports.Count, Stopwatch.GetElapsedTime(connected, wired).TotalMilliseconds, Stopwatch.GetElapsedTime(wired).TotalMilliseconds);
            return Task.CompletedTask;
        }
        WriteFiles(context, hostname, addresses, resolver);
        return Task.CompletedTask;
    }

    private static void WriteFiles(StartContext context, string hostname, List<string> addresses, System.Net.IPAddress? resolver)
    {
        string directory = context.Container.Directory;
        string hostResolvConf = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        var contents = new[]
        {
            HostsFile.Build(hostname, addresses, [], []),
            HostsFile.Hostname(hostname),
            ResolvConf.ForContainer(hostResolvConf, [], [], [], resolver),
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

    public Task ReleaseAsync(StartContext context)
    {
        // Every network it is on: the step's, and those `network connect` added while it ran.
        if (context.NetworkId is not null && networks is not null)
        {
            foreach (var (network, _) in networks.EndpointsOf(context.Container.Id))
                networks.Disconnect(network.Id, context.Container.Id, deleteInterface: false);
            context.NetworkId = null;
        }
        if (context.NetworkSandbox is { } sandbox)
        {
            NetworkSandbox.Remove(sandbox);
            context.NetworkSandbox = null;
        }
        return Task.CompletedTask;
    }
}
