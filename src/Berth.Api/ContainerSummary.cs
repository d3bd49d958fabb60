using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// One entry of <c>GET /containers/json</c> (<c>docker ps</c>). Every name in <see cref="Names"/> starts with
/// <c>/</c> (the CLI strips it with <c>s[1:]</c>); <see cref="Status"/> is the text <c>docker ps</c> shows.
/// </summary>
public sealed class ContainerSummary
{
    public string Id { get; set; } = "";

    public List<string> Names { get; set; } = [];

    /// <summary>The image as the user named it at create.</summary>
    public string Image { get; set; } = "";

    public string ImageID { get; set; } = "";

    public string Command { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public List<Port> Ports { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>exited</c>, <c>removing</c> or <c>dead</c>.</summary>
    public string State { get; set; } = "";

    /// <summary><c>Up 2 minutes</c>, <c>Exited (0) 3 seconds ago</c>, <c>Created</c>...</summary>
    public string Status { get; set; } = "";

    public ContainerSummaryHostConfig HostConfig { get; set; } = new();

    public ContainerSummaryNetworkSettings NetworkSettings { get; set; } = new();

    public List<MountPoint> Mounts { get; set; } = [];
}
