using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>The platform of an index entry (image-spec image-index.md).</summary>
internal sealed class OciPlatform
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    [JsonPropertyName("os")]
    public string? Os { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    public override string ToString() => $"{Os}/{Architecture}{(Variant is null ? "" : "/" + Variant)}";
}
