using Berth.Engine;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>What the API handlers share: the engine, the daemon's settings and the open attach sessions.</summary>
public sealed class ApiServices(ContainerEngine engine, DaemonOptions options, string engineId, ILoggerFactory loggerFactory)
{
    public ContainerEngine Engine { get; } = engine;

    public DaemonOptions Options { get; } = options;

    /// <summary>A stable id of this installation (/info ID), kept in the data root.</summary>
    public string EngineId { get; } = engineId;

    public AttachSessions Attachments { get; } = new();

    /// <summary>Berth's networks; null unless berthd was started with --network-namespace.</summary>
    public Berth.Network.NetworkManager? Networks { get; init; }

    /// <summary>Registry transports and tokens, shared by pulls, pushes and logins.</summary>
    /// <remarks>Replaced by a SIGHUP that changes the registries or mirrors; a pull in flight keeps the one it took.</remarks>
    public Berth.Registry.RegistryService Registry { get; set; } = new(options.Registry, loggerFactory.CreateLogger("Berth.Registry"));

    public ILogger Logger { get; } = loggerFactory.CreateLogger("Berth.Api");

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}
