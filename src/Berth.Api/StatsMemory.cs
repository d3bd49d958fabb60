using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// Memory of a stats sample: usage, the limit (the host's memory when the container has none, as moby reports),
/// and the raw memory.stat, from which the CLI subtracts the inactive file cache.
/// </summary>
public sealed class StatsMemory
{
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Usage { get; set; }

    [JsonPropertyName("max_usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long MaxUsage { get; set; }

    [JsonPropertyName("stats")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, long>? Stats { get; set; }

    [JsonPropertyName("failcnt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Failcnt { get; set; }

    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Limit { get; set; }
}
