namespace Berth.InitSpec;

/// <summary>
/// Everything berth-init needs to turn a freshly cloned process into the container's command.
/// berthd builds it (see ContainerSpecBuilder) and passes it as JSON in an inherited memfd (ChildContract.SpecFd),
/// so init never reads instructions from the container's filesystem.
/// </summary>
public sealed class InitSpec
{
    /// <summary>Host path of the container's root filesystem (the mounted overlay).</summary>
    public string Rootfs { get; set; } = "";

    public string Hostname { get; set; } = "";

    /// <summary>The command line; Args[0] is resolved through PATH of <see cref="Env"/> when it has no slash.</summary>
    public List<string> Args { get; set; } = [];

    public List<string> Env { get; set; } = [];

    public string WorkingDir { get; set; } = "/";

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    public List<uint> AdditionalGids { get; set; } = [];

    /// <summary>Capabilities as a bit mask (bit n = capability number n): the bounding set, and for uid 0 also effective and permitted.</summary>
    public ulong Capabilities { get; set; }

    /// <summary>The host's last capability number (/proc/sys/kernel/cap_last_cap), probed once by berthd: the bounding set is dropped up to it.</summary>
    public int LastCapability { get; set; }

    public bool NoNewPrivileges { get; set; }

    public bool ReadonlyRootfs { get; set; }

    /// <summary>The seccomp filter (classic BPF, struct sock_filter[]) installed before the command runs; null: unconfined.</summary>
    public byte[]? SeccompFilter { get; set; }

    /// <summary>Size of /dev/shm in bytes.</summary>
    public long ShmSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>Host path of berth-reaper when the container runs with --init: mounted at /dev/init, which runs the command.</summary>
    public string InitProgram { get; set; } = "";

    /// <summary>Give the command a terminal: a pty of the container's own devpts, whose master goes back to berthd as a Console message.</summary>
    public bool Terminal { get; set; }

    public ushort ConsoleRows { get; set; }

    public ushort ConsoleColumns { get; set; }

    public List<InitMount> Mounts { get; set; } = [];

    public List<string> MaskedPaths { get; set; } = [];

    public List<string> ReadonlyPaths { get; set; } = [];

    /// <summary>
    /// A network namespace for berth-launcher to join instead of creating an empty one (the network step's sandbox,
    /// the daemon's namespace for --network host, another container's for --network container:). Not sent to berth-init.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? NetworkNamespace { get; set; }

    /// <summary>How to mount /sys/fs/cgroup inside the container.</summary>
    public InitCgroupMount Cgroup { get; set; } = new();
}
