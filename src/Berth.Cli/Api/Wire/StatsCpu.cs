using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>The CPU counters of a stats sample, in nanoseconds: the container's and the whole system's.</summary>
public sealed class StatsCpu
{
    [JsonPropertyName("cpu_usage")]
    public StatsCpuUsage? CpuUsage { get; set; }

    [JsonPropertyName("system_cpu_usage")]
    public ulong SystemUsage { get; set; }

    [JsonPropertyName("online_cpus")]
    public uint OnlineCpus { get; set; }
}
