using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>The block I/O of a stats sample; berth reads the bytes per operation.</summary>
public sealed class StatsBlkio
{
    [JsonPropertyName("io_service_bytes_recursive")]
    public List<StatsBlkioEntry>? IoServiceBytesRecursive { get; set; }
}
