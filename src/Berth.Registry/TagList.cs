using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>GET /v2/&lt;name&gt;/tags/list: <c>{"name": "...", "tags": [...]}</c> (tags null for a repository without any).</summary>
internal sealed class TagList
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tags")]
    public List<string>? Tags { get; set; }
}
