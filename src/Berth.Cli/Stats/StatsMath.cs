using Berth.Cli.Api.Wire;

namespace Berth.Cli.Stats;

/// <summary>
/// docker/cli's stats_helpers.go for Linux daemons: CPU % from the deltas of the container's and the system's CPU time
/// between this sample and the previous one (times the online CPUs), memory as usage minus the inactive page cache
/// (total_inactive_file on cgroup v1, inactive_file on v2), block I/O summed per operation and network over all
/// interfaces.
/// </summary>
public static class StatsMath
{
    /// <summary>The row values of one sample.</summary>
    public static StatsValues Compute(StatsResponse sample)
    {
        double memory = MemoryUsageNoCache(sample.MemoryStats);
        double limit = sample.MemoryStats?.Limit ?? 0;
        var (read, write) = BlockIo(sample.BlkioStats);
        var (rx, tx) = Network(sample.Networks);
        return new StatsValues(
            Name: sample.Name ?? "",
            Id: sample.Id ?? "",
            CpuPercentage: CpuPercent(sample.PreCpuStats?.CpuUsage?.TotalUsage ?? 0, sample.PreCpuStats?.SystemUsage ?? 0, sample.CpuStats),
            Memory: memory,
            MemoryLimit: limit,
            MemoryPercentage: MemoryPercent(limit, memory),
            NetworkRx: rx,
            NetworkTx: tx,
            BlockRead: read,
            BlockWrite: write,
            PidsCurrent: sample.PidsStats?.Current ?? 0);
    }

    /// <summary>calculateCPUPercentUnix.</summary>
    public static double CpuPercent(ulong previousCpu, ulong previousSystem, StatsCpu? current)
    {
        if (current is null)
            return 0;
        double cpuDelta = (double)(current.CpuUsage?.TotalUsage ?? 0) - previousCpu;
        double systemDelta = (double)current.SystemUsage - previousSystem;
        double onlineCpus = current.OnlineCpus;
        if (onlineCpus == 0)
            onlineCpus = current.CpuUsage?.PercpuUsage?.Count ?? 0;
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * onlineCpus * 100.0 : 0;
    }

    /// <summary>calculateMemUsageUnixNoCache.</summary>
    public static double MemoryUsageNoCache(StatsMemory? memory)
    {
        if (memory is null)
            return 0;
        var stats = memory.Stats;
        if (stats is not null && stats.TryGetValue("total_inactive_file", out ulong v1) && v1 < memory.Usage)
            return memory.Usage - v1;
        ulong inactive = stats is not null && stats.TryGetValue("inactive_file", out ulong v2) ? v2 : 0;
        return inactive < memory.Usage ? memory.Usage - inactive : memory.Usage;
    }

    /// <summary>calculateMemPercentUnixNoCache.</summary>
    public static double MemoryPercent(double limit, double usedNoCache) => limit != 0 ? usedNoCache / limit * 100.0 : 0;

    /// <summary>calculateBlockIO: bytes of every entry whose op starts with r or w.</summary>
    public static (double Read, double Write) BlockIo(StatsBlkio? blkio)
    {
        ulong read = 0, write = 0;
        foreach (var entry in blkio?.IoServiceBytesRecursive ?? [])
        {
            if (entry.Op.Length == 0)
                continue;
            switch (entry.Op[0])
            {
                case 'r' or 'R':
                    read += entry.Value;
                    break;
                case 'w' or 'W':
                    write += entry.Value;
                    break;
            }
        }
        return (read, write);
    }

    /// <summary>calculateNetwork.</summary>
    public static (double Rx, double Tx) Network(Dictionary<string, StatsNetwork>? networks)
    {
        double rx = 0, tx = 0;
        foreach (var network in networks?.Values ?? (IEnumerable<StatsNetwork>)[])
        {
            rx += network.RxBytes;
            tx += network.TxBytes;
        }
        return (rx, tx);
    }
}
