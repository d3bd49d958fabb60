using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>A stored layer blob: its digest, size and how it is compressed.</summary>
internal sealed class LayerBlobRecord
{
    [JsonPropertyName("digest")]
    public required string Digest { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("compression")]
    public string? Compression { get; init; }
}
