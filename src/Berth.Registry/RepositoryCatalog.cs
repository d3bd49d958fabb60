using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>GET /v2/_catalog: <c>{"repositories": [...]}</c>, one page.</summary>
internal sealed class RepositoryCatalog
{
    [JsonPropertyName("repositories")]
    public List<string>? Repositories { get; set; }
}
