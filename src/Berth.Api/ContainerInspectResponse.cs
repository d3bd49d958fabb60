using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// <c>GET /containers/{id}/json</c> (swagger <c>ContainerInspectResponse</c>). Always complete: the CLI
/// dereferences State, Config, HostConfig and NetworkSettings (docker-api-notes §11). Times are RFC3339Nano.
/// </summary>
public sealed class ContainerInspectResponse
{
    public string Id { get; set; } = "";

    public string Created { get; set; } = "";

    public string Path { get; set; } = "";

    public List<string> Args { get; set; } = [];

    public ContainerState State { get; set; } = new();

    /// <summary>The image ID (<c>sha256:...</c>).</summary>
    public string Image { get; set; } = "";

    public string ResolvConfPath { get; set; } = "";

    public string HostnamePath { get; set; } = "";

    public string HostsPath { get; set; } = "";

    public string LogPath { get; set; } = "";

    /// <summary>With Docker's leading slash: <c>/web</c>.</summary>
    public string Name { get; set; } = "";

    public int RestartCount { get; set; }

    public string Driver { get; set; } = "";

    public string Platform { get; set; } = "";

    public string MountLabel { get; set; } = "";

    public string ProcessLabel { get; set; } = "";

    public string AppArmorProfile { get; set; } = "";

    public List<string>? ExecIDs { get; set; }

    public HostConfig HostConfig { get; set; } = new();

    public DriverData GraphDriver { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; set; }

    public List<MountPoint> Mounts { get; set; } = [];

    public ContainerConfig Config { get; set; } = new();

    public NetworkSettings NetworkSettings { get; set; } = new();
}
