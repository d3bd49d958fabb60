using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>One device and operation ("read", "write", …) of the block I/O counters.</summary>
public sealed class StatsBlkioEntry
{
    [JsonPropertyName("major")]
    public ulong Major { get; set; }

    [JsonPropertyName("minor")]
    public ulong Minor { get; set; }

    [JsonPropertyName("op")]
    public string Op { get; set; } = "";

    [JsonPropertyName("value")]
    public ulong Value { get; set; }
}
