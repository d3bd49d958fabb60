namespace Berth.InitSpec;

/// <summary>The cgroup filesystem(s) to mount read-only at /sys/fs/cgroup.</summary>
public sealed class InitCgroupMount
{
    /// <summary>1 (one mount per v1 hierarchy on a tmpfs), 2 (one cgroup2 mount), or 0 for none.</summary>
    public int Version { get; set; }

    /// <summary>For v1: the hierarchies, each as (directory name, mount options), e.g. ("memory", "memory") or ("cpu,cpuacct", "cpu,cpuacct").</summary>
    public List<InitCgroupHierarchy> Hierarchies { get; set; } = [];
}
