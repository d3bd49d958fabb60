using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>An index entry's platform: <c>linux/amd64</c>, <c>linux/arm/v7</c>.</summary>
public sealed class ManifestPlatform
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; set; }

    [JsonPropertyName("os")]
    public string? Os { get; set; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }

    public override string ToString() => $"{Os}/{Architecture}{(Variant is null ? "" : "/" + Variant)}";
}
