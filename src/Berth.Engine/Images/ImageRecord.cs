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

    /// <summary>
    /// The image this one was made on by a build step or a commit (moby's parent): <c>images</c> hides an untagged
    /// image that is some image's parent (a build's intermediate step) unless asked for all.
    /// </summary>
    [JsonPropertyName("parent")]
    public string? Parent { get; init; }

    [JsonPropertyName("loaded")]
    public DateTimeOffset Loaded { get; init; }

    /// <summary>When a tag was last pointed at the image (inspect's Metadata.LastTagTime); null if never.</summary>
    [JsonPropertyName("lastTagTime")]
    public DateTimeOffset? LastTagTime { get; set; }
}
