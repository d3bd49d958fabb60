using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>The body of <c>GET /v1/search?q=&amp;n=</c> (Docker Hub's index): the results; the counts are not read.</summary>
internal sealed class SearchResponse
{
    [JsonPropertyName("results")]
    public List<SearchResult>? Results { get; set; }
}
