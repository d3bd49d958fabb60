using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The pids of a stats sample: processes in the container's cgroup and its pids limit (absent when unlimited).</summary>
public sealed class StatsPids
{
    [JsonPropertyName("current")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Current { get; set; }

    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Limit { get; set; }
}
