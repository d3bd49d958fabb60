using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Progress of one item of a JSON message stream, in bytes.</summary>
public sealed class ProgressDetail
{
    [JsonPropertyName("current")]
    public long Current { get; set; }

    [JsonPropertyName("total")]
    public long Total { get; set; }
}
