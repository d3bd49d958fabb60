using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>The container's CPU time, in total and per CPU (cgroup v1 only).</summary>
public sealed class StatsCpuUsage
{
    [JsonPropertyName("total_usage")]
    public ulong TotalUsage { get; set; }

    [JsonPropertyName("percpu_usage")]
    public List<ulong>? PercpuUsage { get; set; }
}
