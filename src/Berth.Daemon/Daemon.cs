using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Daemon.Api;
using Berth.Daemon.Config;
using Berth.Daemon.Systemd;
using Berth.Engine;
using Berth.Engine.Containers.Start;
using Berth.Http;
using Berth.Network;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// berthd's life: open the engine (which locks the data root and recovers containers and images from disk), serve the
/// API until SIGTERM or SIGINT, then stop accepting, let in-flight requests finish, remove the socket and close the
/// engine (which stops the containers, removes the cgroup parent if empty and releases the data root).
/// </summary>
public static class Daemon
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    /// <param name="reload">Reads the configuration again for SIGHUP (daemon.json and the flags); null: SIGHUP reloads nothing.</param>
    public static async Task<int> RunAsync(DaemonOptions options, ILoggerFactory loggerFactory, Func<DaemonOptions>? reload = null, LogLevelSwitch? logLevel = null)
    {
        var logger = loggerFactory.CreateLogger("Berth.Daemon");
        using var notifier = SystemdNotifier.FromEnvironment(logger);
        var activation = SocketActivation.FromEnvironment();
        List<(string Host, System.Net.EndPoint EndPoint, System.Net.Sockets.Socket? Passed)> listeners;
        try
        {
            listeners = Listeners(options.Hosts, activation);
        }
        catch (Exception e) when (e is FormatException or SocketException or Berth.Interop.SyscallException)
        {
            logger.LogCritical("{Error}", e.Message);
            return 1;
        }

        var shutdown = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        var reloads = System.Threading.Channels.Channel.CreateUnbounded<bool>();
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            reloads.Writer.TryWrite(true);
        });
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.TrySetResult(context.Signal);
        }

        bool liveRestore = options.LiveRestore && !LiveRestoreBlockedBySystemd(logger);
        ContainerEngine engine;
        try
        {
            engine = await ContainerEngine.OpenAsync(new EngineOptions
            {
                DataRoot = options.DataRoot,
                CgroupParent = options.CgroupParent,
                MaxImageUnpackedSize = options.MaxImageUnpackedSize,
                DefaultLogConfig = options.DefaultLogConfig,
                ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeout),
                LiveRestore = liveRestore,
            }, loggerFactory);
        }
        catch (DataRootInUseException e)
        {
            logger.LogCritical("{Error}", e.Message);
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogCritical("Cannot open the engine on {DataRoot}: {Error}", options.DataRoot, e.Message);
            return 1;
        }

        NetworkHost? networkHost = null;
        NetworkManager? networks = null;
        if (options.NetworkNamespace == DaemonOptions.NoNetworking)
            engine.Containers.Pipeline.Insert(new NetworkStep(null, NetworkStep.SandboxDirectory(options.DataRoot), "", engine.Containers.Get), before: "launch");
        else
        {
            try
            {
                networkHost = options.NetworkNamespace == "host" ? NetworkHost.Current() : NetworkHost.Join(options.NetworkNamespace);
                var pools = options.DefaultAddressPools is { } configured ? new Berth.Network.Ipam.AddressPools(configured) : null;
                networks = new NetworkManager(networkHost, new NetworkStore(Path.Combine(options.DataRoot, "networks")), pools);
                networks.Initialize(BipSubnet(options.Bip), BipGateway(options.Bip));
                // The engine's recovery has killed every container that was running on a network (live restore adopts only
                // those on none, host or another container's namespace): no endpoint or sandbox is live.
                string sandboxes = NetworkStep.SandboxDirectory(options.DataRoot);
                int dropped = networks.DropAllEndpoints();
                int unmounted = NetworkSandbox.RemoveAll(sandboxes).Count;
                if (dropped + unmounted > 0)
                    logger.LogWarning("Released {Endpoints} endpoints and {Sandboxes} network namespaces of containers that died with the previous berthd", dropped, unmounted);
                networks.EnableDns(HostResolvers());
                var events = engine.Events;
                // dockerd's network events: Actor ID the network's, attributes name and type, and container for (dis)connect.
                networks.Changed = (action, network, container) => events.Publish("network", action, network.Id,
                    container is null ? new Dictionary<string, string> { ["name"] = network.Name, ["type"] = network.Driver }
                        : new Dictionary<string, string> { ["container"] = container, ["name"] = network.Name, ["type"] = network.Driver });
                string hostNamespace = options.NetworkNamespace == "host" ? $"/proc/{Environment.ProcessId}/ns/net" : options.NetworkNamespace;
                engine.Containers.Pipeline.Insert(new NetworkStep(networks, sandboxes, hostNamespace, engine.Containers.Get, loggerFactory.CreateLogger<NetworkStep>()), before: "launch");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogCritical("Cannot set up networking in {Namespace}: {Error}", options.NetworkNamespace, e.Message);
                networkHost?.Dispose();
                await engine.DisposeAsync();
                return 1;
            }
        }
        using var ownedNetworkHost = networkHost;

        var servers = new List<HttpServer>();
        ApiServices services;
        try
        {
            services = new ApiServices(engine, options, EngineId(options.DataRoot), loggerFactory) { Networks = networks };
            var api = new ApiHandler(services);
            int? socketGroup = SocketGroup.Lookup(options.Group);
            foreach (var (host, endPoint, passed) in listeners)
            {
                var server = new HttpServer(new HttpServerOptions
                {
                    EndPoint = endPoint,
                    ListenSocket = passed,
                    SocketGroupId = socketGroup,
                    ShutdownTimeout = ShutdownGrace,
                }, api.HandleAsync, loggerFactory.CreateLogger("Berth.Http"));
                servers.Add(server);
                server.Start();
                if (endPoint is not UnixDomainSocketEndPoint)
                    logger.LogWarning("Listening on {Host} over TCP without TLS or authentication: anyone who can connect controls the host", host);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogCritical("Cannot listen on {Host}: {Error}", string.Join(", ", options.Hosts), e.Message);
            foreach (var server in servers)
                await server.StopAsync();
            await engine.DisposeAsync();
            return 1;
        }
        logger.LogInformation("berthd {Version} (pid {Pid}) serving the Engine API on {Host}", DaemonVersion.Version, Environment.ProcessId, string.Join(", ", listeners.Select(l => l.Passed is null ? l.Host : $"{l.Host} ({l.EndPoint})")));
        engine.Containers.StartByRestartPolicy(); // `always` and `unless-stopped` containers come back (restart policies)
        using var status = new ServiceStatus(engine, notifier);
        notifier.Notify($"READY=1\nSTATUS={status.Text()}\nMAINPID={Environment.ProcessId}");
        status.Start();
        _ = ReloadLoopAsync(reloads.Reader, reload, options, services, engine, logLevel, notifier, status, logger);

        using var trimmer = new IdleMemoryTrimmer(TimeSpan.FromSeconds(3), logger);
        var signal = await shutdown.Task;
        logger.LogInformation("{Signal}: shutting down", signal);
        notifier.Notify(liveRestore ? "STOPPING=1\nSTATUS=leaving the containers running (live restore)" : "STOPPING=1\nSTATUS=stopping the containers");
        reloads.Writer.TryComplete();
        await Task.WhenAll(servers.Select(server => server.StopAsync()));
        await engine.DisposeAsync();
        logger.LogInformation("berthd stopped");
        return 0;
    }


    /// <summary>
    /// systemd starts a service's main process in the root of its delegated cgroup. On cgroup v2, containers kept
    /// running in sub-cgroups with controllers enabled (live restore) make the kernel refuse the next berthd there
    /// (EBUSY; systemd 252 gives up with status=219/CGROUP, seen in `make test-systemd`), so the service could not start
    /// again while they run; systemd 254's DelegateSubgroup= is the way out, not yet used. Until then live restore is
    /// off for a berthd started by systemd on cgroup v2, said once at start.
    /// </summary>
    private static bool LiveRestoreBlockedBySystemd(ILogger logger)
    {
        // Started by systemd itself (parent PID 1 and its INVOCATION_ID), not by a process that merely runs inside
        // a service (a test harness under a CI agent's unit inherits INVOCATION_ID too).
        string stat = File.ReadAllText("/proc/self/stat");
        bool startedBySystemd = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == "1"
            && Environment.GetEnvironmentVariable("INVOCATION_ID") is { Length: > 0 };
        if (!startedBySystemd || !File.Exists("/sys/fs/cgroup/cgroup.controllers"))
            return false;
        logger.LogWarning("Live restore is off: under systemd on cgroup v2 containers kept in the service's cgroup would stop the next berthd from starting (status=219/CGROUP); containers are stopped at a daemon stop");
        return true;
    }

    /// <summary>Each -H: its endpoint, and for fd:// the sockets systemd passed (one host may stand for several).</summary>
    private static List<(string, System.Net.EndPoint, System.Net.Sockets.Socket?)> Listeners(IReadOnlyList<string> hosts, SocketActivation activation)
    {
        var listeners = new List<(string, System.Net.EndPoint, System.Net.Sockets.Socket?)>();
        foreach (string host in hosts)
        {
            if (ListenAddress.FdSelector(host) is { } selector)
            {
                foreach (int fd in activation.Select(selector))
                {
                    var socket = SocketActivation.Open(fd);
                    listeners.Add((host, socket.LocalEndPoint ?? new UnixDomainSocketEndPoint($"fd{fd}"), socket));
                }
            }
            else
            {
                listeners.Add((host, ListenAddress.Parse(host), null));
            }
        }
        return listeners;
    }

    /// <summary>
    /// SIGHUP, as dockerd: reads daemon.json again and applies what can change at run time (log level, registries and
    /// mirrors, the default log driver and options); keys that need a restart are named in a warning.
    /// </summary>
    private static async Task ReloadLoopAsync(System.Threading.Channels.ChannelReader<bool> reloads, Func<DaemonOptions>? reload, DaemonOptions current,
        ApiServices services, ContainerEngine engine, LogLevelSwitch? logLevel, SystemdNotifier notifier, ServiceStatus status, ILogger logger)
    {
        await foreach (bool _ in reloads.ReadAllAsync())
        {
            notifier.Notify(SystemdNotifier.Reloading());
            try
            {
                if (reload is null)
                {
                    logger.LogInformation("SIGHUP: nothing to reload");
                    continue;
                }
                var fresh = reload();
                var changed = ConfigReload.Apply(current, fresh, services, engine.Options.DefaultLogConfig, logLevel);
                logger.LogInformation("SIGHUP: reloaded the configuration: {Changed}", changed.Reloaded.Count > 0 ? string.Join(", ", changed.Reloaded) : "nothing changed");
                if (changed.NeedRestart.Count > 0)
                    logger.LogWarning("SIGHUP: {Keys} changed but take effect only when berthd restarts", string.Join(", ", changed.NeedRestart));
                current = fresh;
            }
            catch (Config.DaemonConfigException e)
            {
                logger.LogError("SIGHUP: the configuration was not reloaded: {Error}", e.Message);
            }
            finally
            {
                notifier.Notify($"READY=1\nSTATUS={status.Text()}");
            }
        }
    }

    /// <summary>`bip` 172.26.0.1/16: the subnet 172.26.0.0/16 with gateway 172.26.0.1.</summary>
    private static string? BipSubnet(string? bip) =>
        bip is not null && Berth.Network.Ipam.Ipv4Cidr.TryParse(bip, out var cidr) ? cidr.Network.ToString() : null;

    private static string? BipGateway(string? bip) => bip?.Split('/')[0];

    /// <summary>A stable id for /info, created once in the data root (like Docker's engine-id).</summary>
    /// <summary>The host's nameservers (/etc/resolv.conf), where the embedded DNS relays names it does not know.</summary>
    private static List<System.Net.IPEndPoint> HostResolvers()
    {
        string text = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        return [.. Berth.Network.Files.ResolvConf.Parse(text).Nameservers
            .Select(n => System.Net.IPAddress.TryParse(n, out var address) ? new System.Net.IPEndPoint(address, 53) : null)
            .OfType<System.Net.IPEndPoint>()];
    }

    private static string EngineId(string dataRoot)
    {
        string path = Path.Combine(dataRoot, "engine-id");
        try
        {
            if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } id)
                return id;
            string fresh = Guid.NewGuid().ToString();
            File.WriteAllText(path, fresh + "\n");
            return fresh;
        }
        catch (IOException)
        {
            return Guid.Empty.ToString();
        }
    }
}
