using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// One sample of <c>GET /containers/{id}/stats</c> (moby <c>container.StatsResponse</c>). Zero counters are left
/// out where Go's omitempty leaves them out; a stopped container's sample is all zeros but for name and id.
/// </summary>
public sealed class ContainerStatsResponse
{
    /// <summary>"/web", with the slash, as moby sends it.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Name { get; set; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Id { get; set; }

    /// <summary>When the sample was taken (RFC3339Nano).</summary>
    [JsonPropertyName("read")]
    public string Read { get; set; } = ApiTimestamp.Never;

    /// <summary>When the previous sample (<see cref="PreCpuStats"/>) was taken.</summary>
    [JsonPropertyName("preread")]
    public string PreRead { get; set; } = ApiTimestamp.Never;

    [JsonPropertyName("pids_stats")]
    public StatsPids PidsStats { get; set; } = new();

    [JsonPropertyName("blkio_stats")]
    public StatsBlkio BlkioStats { get; set; } = new();

    [JsonPropertyName("num_procs")]
    public int NumProcs { get; set; }

    [JsonPropertyName("storage_stats")]
    public EmptyObject StorageStats { get; set; } = new();

    [JsonPropertyName("cpu_stats")]
    public StatsCpu CpuStats { get; set; } = new();

    [JsonPropertyName("precpu_stats")]
    public StatsCpu PreCpuStats { get; set; } = new();

    [JsonPropertyName("memory_stats")]
    public StatsMemory MemoryStats { get; set; } = new();
}
