using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>berthd's settings, from its command line.</summary>
public sealed class DaemonOptions
{
    public const string DefaultHost = "unix:///run/berth/berth.sock";

    /// <summary><c>unix:///path</c> (the default) or, only when asked, <c>tcp://host:port</c>.</summary>
    public string Host { get; init; } = DefaultHost;

    public string DataRoot { get; init; } = "/var/lib/berth";

    /// <summary>The cgroup below berthd's own that holds the containers' cgroups.</summary>
    public string CgroupParent { get; init; } = "berth";

    /// <summary>`--log-driver` and `--log-opt`: the log config of containers that set none.</summary>
    public Berth.Engine.Logs.LogConfig DefaultLogConfig { get; init; } = new() { Type = Berth.Engine.Logs.LogSettings.JsonFile };

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
