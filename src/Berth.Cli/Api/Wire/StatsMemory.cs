using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>The memory counters of a stats sample: usage, limit and the cgroup's memory.stat lines.</summary>
public sealed class StatsMemory
{
    [JsonPropertyName("usage")]
    public ulong Usage { get; set; }

    [JsonPropertyName("limit")]
    public ulong Limit { get; set; }

    [JsonPropertyName("stats")]
    public Dictionary<string, ulong>? Stats { get; set; }
}
