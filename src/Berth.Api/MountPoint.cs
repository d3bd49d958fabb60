namespace Berth.Api;

/// <summary>A mount of a container as inspect and <c>docker ps</c> report it (swagger <c>MountPoint</c>).</summary>
public sealed class MountPoint
{
    /// <summary><c>bind</c>, <c>volume</c>, <c>tmpfs</c>...</summary>
    public string Type { get; set; } = "";

    public string Name { get; set; } = "";

    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    public string Driver { get; set; } = "";

    public string Mode { get; set; } = "";

    public bool RW { get; set; }

    public string Propagation { get; set; } = "";
}
