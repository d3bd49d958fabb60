using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>One interface's counters of a stats sample.</summary>
public sealed class StatsNetwork
{
    [JsonPropertyName("rx_bytes")]
    public ulong RxBytes { get; set; }

    [JsonPropertyName("tx_bytes")]
    public ulong TxBytes { get; set; }
}
