using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>One repository a search found, in the shape of Docker Hub's <c>GET /v1/search</c> results.</summary>
public sealed class SearchResult
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("description")]
    public string Description { get; set; } = "";

    [JsonPropertyName("star_count")]
    public int StarCount { get; set; }

    [JsonPropertyName("is_official")]
    public bool IsOfficial { get; set; }

    [JsonPropertyName("is_automated")]
    public bool IsAutomated { get; set; }
}
