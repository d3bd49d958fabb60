using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Daemon.Api;
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

    public static async Task<int> RunAsync(DaemonOptions options, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger("Berth.Daemon");
        System.Net.EndPoint endPoint;
        try
        {
            endPoint = ListenAddress.Parse(options.Host);
        }
        catch (Exception e) when (e is FormatException or SocketException)
        {
            logger.LogCritical("{Error}", e.Message);
            return 1;
        }

        var shutdown = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.TrySetResult(context.Signal);
        }

        ContainerEngine engine;
        try
        {
            engine = await ContainerEngine.OpenAsync(new EngineOptions { DataRoot = options.DataRoot, CgroupParent = options.CgroupParent, MaxImageUnpackedSize = options.MaxImageUnpackedSize, DefaultLogConfig = options.DefaultLogConfig }, loggerFactory);
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
                networks = new NetworkManager(networkHost, new NetworkStore(Path.Combine(options.DataRoot, "networks")));
                networks.Initialize();
                // The engine's recovery has killed every container that was running: no endpoint or sandbox is live.
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

        HttpServer server;
        try
        {
            var services = new ApiServices(engine, options, EngineId(options.DataRoot), loggerFactory) { Networks = networks };
            var api = new ApiHandler(services);
            var serverOptions = new HttpServerOptions
            {
                EndPoint = endPoint,
                SocketGroupId = SocketGroup.Lookup(options.Group),
                ShutdownTimeout = ShutdownGrace,
            };
            server = new HttpServer(serverOptions, api.HandleAsync, loggerFactory.CreateLogger("Berth.Http"));
            server.Start();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogCritical("Cannot listen on {Host}: {Error}", options.Host, e.Message);
            await engine.DisposeAsync();
            return 1;
        }
        if (endPoint is not UnixDomainSocketEndPoint)
            logger.LogWarning("Listening on {Host} over TCP without TLS or authentication: anyone who can connect controls the host", options.Host);
        logger.LogInformation("berthd {Version} (pid {Pid}) serving the Engine API on {Host}", DaemonVersion.Version, Environment.ProcessId, options.Host);
        engine.Containers.StartByRestartPolicy(); // `always` and `unless-stopped` containers come back (restart policies)

        using var trimmer = new IdleMemoryTrimmer(TimeSpan.FromSeconds(3), logger);
        var signal = await shutdown.Task;
        logger.LogInformation("{Signal}: shutting down", signal);
        await server.StopAsync();
        await engine.DisposeAsync();
        logger.LogInformation("berthd stopped");
        return 0;
    }


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
