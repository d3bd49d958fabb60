using Berth.Engine.Host;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>What is mounted at /sys/fs/cgroup on the machine running the tests.</summary>
public static class HostCgroupLayout
{
    /// <summary>"cgroup2" on a unified host, "tmpfs" on a v1 or hybrid host, null when nothing is mounted there.</summary>
    public static string? SysFsCgroupType =>
        MountInfo.ReadSelf().LastOrDefault(m => m.MountPoint == "/sys/fs/cgroup")?.FileSystemType;

    public static bool IsUnified => SysFsCgroupType == "cgroup2";

    /// <summary>True when v1 hierarchies are mounted (a hybrid host has cgroup2 at /sys/fs/cgroup/unified as well).</summary>
    public static bool HasV1 => MountInfo.ReadSelf().Any(m => m.FileSystemType == "cgroup" && m.MountPoint.StartsWith("/sys/fs/cgroup/", StringComparison.Ordinal));
}
