using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The container's CPU time in nanoseconds: in total, per CPU (cgroup v1 only), in kernel and user mode.</summary>
public sealed class StatsCpuUsage
{
    [JsonPropertyName("total_usage")]
    public long TotalUsage { get; set; }

    [JsonPropertyName("percpu_usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<long>? PercpuUsage { get; set; }

    [JsonPropertyName("usage_in_kernelmode")]
    public long UsageInKernelmode { get; set; }

    [JsonPropertyName("usage_in_usermode")]
    public long UsageInUsermode { get; set; }
}
