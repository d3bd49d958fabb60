using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>
/// imagedb/&lt;config hex&gt;.json: what the store knows about an image beyond its config blob
/// (DiffIDs and ChainIDs are derived from the config).
/// </summary>
internal sealed class ImageRecord
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The manifest digest when the archive had one (OCI layout, docker save 25+).</summary>
    [JsonPropertyName("manifest")]
    public string? ManifestDigest { get; init; }

    /// <summary>The layer blobs as the archive had them (compressed or not), bottom first.</summary>
    [JsonPropertyName("layerBlobs")]
    public List<LayerBlobRecord> LayerBlobs { get; init; } = [];

    [JsonPropertyName("loaded")]
    public DateTimeOffset Loaded { get; init; }
}
