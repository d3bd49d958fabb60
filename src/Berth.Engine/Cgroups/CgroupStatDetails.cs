namespace Berth.Engine.Cgroups;

/// <summary>
/// The counters of a container's cgroup that <c>docker stats</c> needs beyond <see cref="CgroupStats"/>: the raw
/// <c>memory.stat</c> (the CLI subtracts <c>total_inactive_file</c> on v1, <c>inactive_file</c> on v2 from the usage),
/// CPU time split into user and kernel mode, and CFS throttling. A value is null when the host does not report it.
/// </summary>
public sealed record CgroupStatDetails(
    IReadOnlyDictionary<string, long> MemoryStat,
    long? MemoryMaxUsageBytes,
    long? MemoryFailcnt,
    long? CpuUserNanoseconds,
    long? CpuSystemNanoseconds,
    IReadOnlyList<long>? PerCpuUsageNanoseconds,
    long? ThrottlingPeriods,
    long? ThrottledPeriods,
    long? ThrottledTimeNanoseconds);
