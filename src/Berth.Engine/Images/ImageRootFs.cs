using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>The <c>rootfs</c> of an image configuration: the DiffIDs (sha256 of each uncompressed layer tar), bottom first.</summary>
public sealed class ImageRootFs
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string>? DiffIds { get; init; }
}
