namespace Berth.Engine.Cgroups;

/// <summary>
/// The resource limits of a container, in Docker's <c>HostConfig</c> units. Null means "not set".
/// <see cref="MemorySwapBytes"/> is memory plus swap as in Docker: -1 is unlimited swap, and when only
/// <see cref="MemoryBytes"/> is given the drivers apply Docker's default of twice the memory limit.
/// <see cref="NanoCpus"/> is <c>--cpus</c> × 10⁹. A <see cref="PidsLimit"/> of 0 or less means unlimited.
/// <see cref="AllowAllDevices"/> (privileged containers) lifts Docker's device rules.
/// </summary>
public sealed record CgroupLimits(
    long? MemoryBytes = null,
    long? MemorySwapBytes = null,
    long? NanoCpus = null,
    long? CpuShares = null,
    long? PidsLimit = null,
    string? CpusetCpus = null,
    bool AllowAllDevices = false)
{
    /// <summary>Docker's minimum memory limit (moby <c>linuxMinMemory</c>).</summary>
    public const long MinimumMemoryBytes = 6 * 1024 * 1024;

    /// <summary>The CFS period Docker uses with <c>--cpus</c>, in microseconds.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    /// <summary>The CFS quota for <see cref="NanoCpus"/>: <c>NanoCpus × 100000 / 10⁹</c> µs per period.</summary>
    public long? CpuQuotaMicroseconds => NanoCpus is > 0 ? NanoCpus * CpuPeriodMicroseconds / 1_000_000_000 : null;

    /// <summary>
    /// The memory + swap limit to apply: the explicit value, -1 for unlimited, or Docker's default of
    /// twice <see cref="MemoryBytes"/>; null when no memory limit is set.
    /// </summary>
    public long? EffectiveMemorySwapBytes =>
        MemoryBytes is null ? null : MemorySwapBytes is null or 0 ? MemoryBytes * 2 : MemorySwapBytes;

    /// <summary>Rejects combinations Docker rejects, with Docker's wording where it has one.</summary>
    public void Validate()
    {
        if (MemoryBytes is { } memory && memory < MinimumMemoryBytes)
            throw new InvalidParameterException($"Minimum memory limit allowed is 6MB (got {memory} bytes)");
        if (MemorySwapBytes is { } swap and not 0)
        {
            if (MemoryBytes is null)
                throw new InvalidParameterException("You should always set the Memory limit when using Memoryswap limit");
            if (swap != -1 && swap < MemoryBytes)
                throw new InvalidParameterException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (NanoCpus is { } nanoCpus && (nanoCpus < 0 || nanoCpus is > 0 and < 10_000_000))
            throw new InvalidParameterException($"Range of CPUs is from 0.01 upwards (got NanoCpus {nanoCpus})");
        if (CpuShares is < 0)
            throw new InvalidParameterException($"CPU shares must not be negative (got {CpuShares})");
        if (CpusetCpus is { } cpus && (cpus.Length == 0 || cpus.Any(c => c is not (>= '0' and <= '9') and not ',' and not '-')))
            throw new InvalidParameterException($"Invalid value `{cpus}` for cpuset cpus");
    }
}
