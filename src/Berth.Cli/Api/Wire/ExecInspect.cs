using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>What the CLI reads of <c>GET /exec/{id}/json</c> (moby ExecInspect); a null ExitCode reads as 0, as in Go.</summary>
public sealed class ExecInspect
{
    [JsonPropertyName("ID")]
    public string Id { get; set; } = "";

    [JsonPropertyName("ContainerID")]
    public string ContainerId { get; set; } = "";

    public bool Running { get; set; }

    public int? ExitCode { get; set; }

    public int Pid { get; set; }
}
