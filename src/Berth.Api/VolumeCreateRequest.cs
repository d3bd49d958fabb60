namespace Berth.Api;

/// <summary><c>POST /volumes/create</c>.</summary>
public sealed class VolumeCreateRequest
{
    public string Name { get; set; } = "";

    public string Driver { get; set; } = "";

    public Dictionary<string, string>? DriverOpts { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Swarm cluster volumes: refused.</summary>
    public System.Text.Json.JsonElement? ClusterVolumeSpec { get; set; }
}
