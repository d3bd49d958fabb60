using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>One entry of <c>GET /images/search</c> (swagger <c>ImageSearchResponseItem</c>): Docker Hub's field names.</summary>
public sealed class ImageSearchResponseItem
{
    [JsonPropertyName("description")]
    public string Description { get; set; } = "";

    [JsonPropertyName("is_official")]
    public bool IsOfficial { get; set; }

    /// <summary>Deprecated by Docker Hub (always false there since 2023); kept because the API still has it.</summary>
    [JsonPropertyName("is_automated")]
    public bool IsAutomated { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("star_count")]
    public int StarCount { get; set; }
}
