namespace Berth.Api;

/// <summary><c>GET /volumes</c>.</summary>
public sealed class VolumeListResponse
{
    public List<Volume> Volumes { get; set; } = [];

    public List<string> Warnings { get; set; } = [];
}
