using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>An OCI image manifest or a Docker schema 2 manifest (image-spec manifest.md).</summary>
internal sealed class OciManifest
{
    public const string OciMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerMediaType = "application/vnd.docker.distribution.manifest.v2+json";

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public OciDescriptor? Config { get; init; }

    [JsonPropertyName("layers")]
    public List<OciDescriptor>? Layers { get; init; }

    /// <summary>Present only in an index; lets a descriptor without a media type be told apart.</summary>
    [JsonPropertyName("manifests")]
    public List<OciDescriptor>? Manifests { get; init; }
}
