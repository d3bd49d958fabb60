using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>An OCI image index or a Docker manifest list (image-spec image-index.md).</summary>
internal sealed class OciIndex
{
    public const string OciMediaType = "application/vnd.oci.image.index.v1+json";
    public const string DockerMediaType = "application/vnd.docker.distribution.manifest.list.v2+json";

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("manifests")]
    public List<OciDescriptor>? Manifests { get; init; }
}
