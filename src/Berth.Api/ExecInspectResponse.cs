using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// <c>GET /exec/{id}/json</c> (moby <c>container.ExecInspect</c>). <see cref="ExitCode"/> is null until the command
/// exited; the CLI reads it the moment the exec stream closes (docker-api-notes §8).
/// </summary>
public sealed class ExecInspectResponse
{
    [JsonPropertyName("ID")]
    public string Id { get; set; } = "";

    public bool Running { get; set; }

    public int? ExitCode { get; set; }

    public ExecProcessConfig ProcessConfig { get; set; } = new();

    public bool OpenStdin { get; set; }

    public bool OpenStderr { get; set; }

    public bool OpenStdout { get; set; }

    public bool CanRemove { get; set; }

    [JsonPropertyName("ContainerID")]
    public string ContainerId { get; set; } = "";

    /// <summary>Go's []byte, base64: moby sends "" when the exec has no detach keys of its own.</summary>
    public byte[]? DetachKeys { get; set; }

    public int Pid { get; set; }
}
