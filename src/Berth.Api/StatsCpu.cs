using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// CPU of a stats sample. The CLI's CPU % is Δ<see cref="StatsCpuUsage.TotalUsage"/> / Δ<see cref="SystemCpuUsage"/>
/// × <see cref="OnlineCpus"/> × 100 between this sample and the previous one (precpu_stats).
/// </summary>
public sealed class StatsCpu
{
    [JsonPropertyName("cpu_usage")]
    public StatsCpuUsage CpuUsage { get; set; } = new();

    /// <summary>The host's CPU time in nanoseconds (/proc/stat's cpu line, user to steal).</summary>
    [JsonPropertyName("system_cpu_usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long SystemCpuUsage { get; set; }

    [JsonPropertyName("online_cpus")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int OnlineCpus { get; set; }

    [JsonPropertyName("throttling_data")]
    public StatsThrottling ThrottlingData { get; set; } = new();
}
