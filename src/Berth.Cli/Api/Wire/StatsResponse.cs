using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>What <c>berth stats</c> reads of one sample of <c>GET /containers/{id}/stats</c> (moby container.StatsResponse).</summary>
public sealed class StatsResponse
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("pids_stats")]
    public StatsPids? PidsStats { get; set; }

    [JsonPropertyName("blkio_stats")]
    public StatsBlkio? BlkioStats { get; set; }

    [JsonPropertyName("cpu_stats")]
    public StatsCpu? CpuStats { get; set; }

    [JsonPropertyName("precpu_stats")]
    public StatsCpu? PreCpuStats { get; set; }

    [JsonPropertyName("memory_stats")]
    public StatsMemory? MemoryStats { get; set; }

    [JsonPropertyName("networks")]
    public Dictionary<string, StatsNetwork>? Networks { get; set; }
}
