using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>layers/&lt;chainid hex&gt;/layer.json: the unpacked layer beside it in diff/.</summary>
internal sealed class LayerRecord
{
    [JsonPropertyName("chainId")]
    public required string ChainId { get; init; }

    [JsonPropertyName("diffId")]
    public required string DiffId { get; init; }

    [JsonPropertyName("parent")]
    public string? Parent { get; init; }

    /// <summary>Bytes of regular file content in the layer.</summary>
    [JsonPropertyName("size")]
    public long Size { get; init; }
}
