namespace Berth.Cli.Stats;

/// <summary>The numbers of one stats row (docker/cli StatsEntry without its container key and validity).</summary>
public sealed record StatsValues(
    string Name,
    string Id,
    double CpuPercentage,
    double Memory,
    double MemoryLimit,
    double MemoryPercentage,
    double NetworkRx,
    double NetworkTx,
    double BlockRead,
    double BlockWrite,
    ulong PidsCurrent)
{
    public static readonly StatsValues Empty = new("", "", 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
