using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary><c>GET /images/{name}/json</c> (swagger <c>ImageInspect</c>).</summary>
public sealed class ImageInspect
{
    public string Id { get; set; } = "";

    public List<string> RepoTags { get; set; } = [];

    public List<string> RepoDigests { get; set; } = [];

    public string Parent { get; set; } = "";

    public string Comment { get; set; } = "";

    /// <summary>RFC3339Nano; null when the image config has no date.</summary>
    public string? Created { get; set; }

    public string DockerVersion { get; set; } = "";

    public string Author { get; set; } = "";

    public ImageConfig? Config { get; set; }

    public string Architecture { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }

    public string Os { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; set; }

    public long Size { get; set; }

    public DriverData GraphDriver { get; set; } = new();

    public ImageRootFS RootFS { get; set; } = new();

    public ImageMetadata Metadata { get; set; } = new();
}
