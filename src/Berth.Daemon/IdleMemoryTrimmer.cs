using System.Runtime;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// Gives memory back to the system once berthd goes quiet after work. The GC keeps the regions a burst of requests
/// (an image load, fifty starts) grew into, although berthd's live data stays small; like Go's scavenger in dockerd,
/// berthd returns them when it has been idle for a moment: one compacting, decommitting collection per quiet spell.
/// "Quiet" is measured by allocation: the process allocated almost nothing during the last period, and a good deal
/// since the previous trim. It costs a few milliseconds, only after activity, never on a request's path.
/// </summary>
public sealed class IdleMemoryTrimmer : IDisposable
{
    /// <summary>Allocation during a period below which berthd counts as idle (a ps poll or a log follower is fine).</summary>
    private const long QuietBytes = 256 * 1024;

    /// <summary>
    /// Allocation since the last trim that makes another one worth it: little, because even a removal of fifty
    /// containers, which allocates a few MiB, leaves the heap's regions several MiB larger (bench 3b).
    /// </summary>
    private const long WorkBytes = 1024 * 1024;

    private readonly Timer _timer;
    private readonly ILogger _logger;
    private long _allocatedAtLastTick;
    private long _allocatedAtLastTrim;

    public IdleMemoryTrimmer(TimeSpan period, ILogger logger)
    {
        _logger = logger;
        _allocatedAtLastTick = _allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        _timer = new Timer(_ => Tick(), null, period, period);
    }

    private void Tick()
    {
        long now = GC.GetTotalAllocatedBytes();
        bool quiet = now - _allocatedAtLastTick < QuietBytes;
        _allocatedAtLastTick = now;
        if (!quiet || now - _allocatedAtLastTrim < WorkBytes)
            return;
        long before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtLastTick = _allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        _logger.LogDebug("Idle: memory trimmed, RSS {Before} -> {After} KiB", before / 1024, Environment.WorkingSet / 1024);
    }

    public void Dispose() => _timer.Dispose();
}
