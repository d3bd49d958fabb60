using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The State of a container inspect (swagger <c>ContainerState</c>); times are RFC3339Nano, <c>0001-01-01T00:00:00Z</c> for never.</summary>
public sealed class ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>.</summary>
    public string Status { get; set; } = "";

    public bool Running { get; set; }

    public bool Paused { get; set; }

    public bool Restarting { get; set; }

    public bool OOMKilled { get; set; }

    public bool Dead { get; set; }

    public int Pid { get; set; }

    public int ExitCode { get; set; }

    public string Error { get; set; } = "";

    public string StartedAt { get; set; } = ApiTimestamp.Never;

    public string FinishedAt { get; set; } = ApiTimestamp.Never;

    /// <summary>Healthcheck status, log and failing streak; absent when the container has no healthcheck.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Health? Health { get; set; }
}
