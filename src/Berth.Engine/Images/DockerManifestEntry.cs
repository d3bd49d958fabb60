using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>One image in a `docker save` manifest.json (moby image/tarexport). Paths are relative to the archive root.</summary>
internal sealed class DockerManifestEntry
{
    [JsonPropertyName("Config")]
    public string? Config { get; init; }

    [JsonPropertyName("RepoTags")]
    public List<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public List<string>? Layers { get; init; }
}
