namespace Berth.Api;

/// <summary>One entry of <c>GET /images/json</c> (swagger <c>ImageSummary</c>; every field here is required there).</summary>
public sealed class ImageSummary
{
    /// <summary><c>sha256:...</c>.</summary>
    public string Id { get; set; } = "";

    public string ParentId { get; set; } = "";

    /// <summary>Familiar form: <c>busybox:latest</c>.</summary>
    public List<string> RepoTags { get; set; } = [];

    public List<string> RepoDigests { get; set; } = [];

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public long Size { get; set; }

    /// <summary>-1 when not computed.</summary>
    public long SharedSize { get; set; } = -1;

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Number of containers using the image; -1 when not computed.</summary>
    public long Containers { get; set; } = -1;
}
