using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Block I/O of a stats sample. Berth reports none: every list is null, as moby's are without blkio data.</summary>
public sealed class StatsBlkio
{
    [JsonPropertyName("io_service_bytes_recursive")]
    public List<JsonElement>? IoServiceBytesRecursive { get; set; }

    [JsonPropertyName("io_serviced_recursive")]
    public List<JsonElement>? IoServicedRecursive { get; set; }

    [JsonPropertyName("io_queue_recursive")]
    public List<JsonElement>? IoQueueRecursive { get; set; }

    [JsonPropertyName("io_service_time_recursive")]
    public List<JsonElement>? IoServiceTimeRecursive { get; set; }

    [JsonPropertyName("io_wait_time_recursive")]
    public List<JsonElement>? IoWaitTimeRecursive { get; set; }

    [JsonPropertyName("io_merged_recursive")]
    public List<JsonElement>? IoMergedRecursive { get; set; }

    [JsonPropertyName("io_time_recursive")]
    public List<JsonElement>? IoTimeRecursive { get; set; }

    [JsonPropertyName("sectors_recursive")]
    public List<JsonElement>? SectorsRecursive { get; set; }
}
