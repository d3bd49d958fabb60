using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>berthd's settings, from its command line and daemon.json (<see cref="Config.DaemonConfiguration"/>).</summary>
public sealed class DaemonOptions
{
    public const string DefaultHost = "unix:///run/berth/berth.sock";

    /// <summary>Seconds a container gets to stop at a daemon stop without live restore (dockerd's shutdown-timeout, 15).</summary>
    public const int DefaultShutdownTimeout = 15;

    /// <summary>Whether containers outlive berthd when no flag or key says: true (berth-keeper keeps them, the next berthd adopts them).</summary>
    public const bool LiveRestoreDefault = true;

    /// <summary>
    /// Where the API is served: <c>unix:///path</c> (the default), <c>fd://</c> or <c>fd://NAME</c> (sockets systemd
    /// passed, as dockerd) or, only when asked, <c>tcp://host:port</c>.
    /// </summary>
    public IReadOnlyList<string> Hosts { get; init; } = [DefaultHost];

    /// <summary>`live-restore`: containers keep running when berthd stops or crashes and the next berthd adopts them; false stops them with berthd.</summary>
    public bool LiveRestore { get; init; } = LiveRestoreDefault;

    /// <summary>`shutdown-timeout`: the grace, in seconds, containers get at a daemon stop without live restore.</summary>
    public int ShutdownTimeout { get; init; } = DefaultShutdownTimeout;

    /// <summary>`default-address-pools`: where networks created without a subnet get one; null for Docker's defaults.</summary>
    public IReadOnlyList<(Berth.Network.Ipam.Ipv4Cidr Base, int Size)>? DefaultAddressPools { get; init; }

    /// <summary>`bip`: the default bridge's address and prefix, used when the `bridge` network is first created.</summary>
    public string? Bip { get; init; }

    public string DataRoot { get; init; } = "/var/lib/berth";

    /// <summary>The cgroup below berthd's own that holds the containers' cgroups.</summary>
    public string CgroupParent { get; init; } = "berth";

    /// <summary>`--log-driver` and `--log-opt`: the log config of containers that set none.</summary>
    public Berth.Engine.Logs.LogConfig DefaultLogConfig { get; init; } = new() { Type = Berth.Engine.Logs.LogSettings.JsonFile };

    /// <summary>The log level at start; SIGHUP may change it (<see cref="Config.LogLevelSwitch"/>).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>The <see cref="NetworkNamespace"/> that turns networking off (dockerd's --bridge=none).</summary>
    public const string NoNetworking = "none";

    /// <summary>
    /// Where Berth's bridges and nft table live: "host" (berthd's own namespace, the default, as dockerd's bridge) or
    /// a network namespace file such as /run/netns/NAME (the tests'); <see cref="NoNetworking"/>: containers get
    /// loopback only and /networks is not served.
    /// </summary>
    public string NetworkNamespace { get; init; } = "host";

    /// <summary>Group that owns the socket (mode 0660) when such a group exists.</summary>
    public string Group { get; init; } = "berth";

    /// <summary>The most file content one image load or pull may unpack; null for no limit (Docker has none).</summary>
    public long? MaxImageUnpackedSize { get; init; }

    /// <summary>Registry access: --insecure-registry, --max-concurrent-downloads/uploads, and certs.d under the config directory.</summary>
    public Berth.Registry.RegistryOptions Registry { get; init; } = new();
}
