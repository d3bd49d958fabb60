namespace Berth.Engine.Cgroups;

/// <summary>
/// A snapshot of a container cgroup's counters, for <c>docker stats</c>. A value is null when its controller
/// is not available; a limit is null when it is unlimited.
/// </summary>
public sealed record CgroupStats(
    long? MemoryUsageBytes,
    long? MemoryLimitBytes,
    long? CpuUsageNanoseconds,
    long? PidsCurrent,
    long? PidsLimit);
