using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>
/// Any manifest a registry serves, read into one shape: an image manifest (config + layers) or an index / manifest
/// list (manifests). Written only by <see cref="ManifestBuilder"/>, in the field order Docker writes, so the bytes
/// (and the digest) of a manifest Berth builds are stable.
/// </summary>
public sealed class ManifestDocument
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; }

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; set; }

    [JsonPropertyName("config")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ManifestDescriptor? Config { get; set; }

    [JsonPropertyName("layers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ManifestDescriptor>? Layers { get; set; }

    [JsonPropertyName("manifests")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ManifestDescriptor>? Manifests { get; set; }
}
