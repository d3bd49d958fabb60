using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>A content descriptor of a manifest or index (image-spec descriptor.md); <see cref="Platform"/> only in indexes.</summary>
public sealed class ManifestDescriptor
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("digest")]
    public string Digest { get; set; } = "";

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ManifestPlatform? Platform { get; set; }
}
