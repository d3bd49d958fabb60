namespace Berth.Api;

/// <summary>The Metadata of an image inspect.</summary>
public sealed class ImageMetadata
{
    /// <summary>RFC3339Nano of the last tag change; null when never tagged locally.</summary>
    public string? LastTagTime { get; set; }
}
