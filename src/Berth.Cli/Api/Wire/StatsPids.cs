using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>The pids controller's numbers of a stats sample.</summary>
public sealed class StatsPids
{
    [JsonPropertyName("current")]
    public ulong Current { get; set; }

    [JsonPropertyName("limit")]
    public ulong Limit { get; set; }
}
