using Berth.Engine.Containers.Health;

namespace Berth.Engine.Containers;

/// <summary>
/// What a container runs, in the shape and with the names of Docker's container Config. Values left
/// null come from the image (see <see cref="ContainerSpecBuilder"/>).
/// </summary>
public sealed class ContainerConfig
{
    public string Image { get; set; } = "";

    public List<string>? Cmd { get; set; }

    public List<string>? Entrypoint { get; set; }

    public List<string>? Env { get; set; }

    public string? WorkingDir { get; set; }

    public string? User { get; set; }

    public string? Hostname { get; set; }

    public string? Domainname { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public bool Tty { get; set; }

    public bool OpenStdin { get; set; }

    public bool StdinOnce { get; set; }

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    public string? StopSignal { get; set; }

    public int? StopTimeout { get; set; }

    /// <summary>The healthcheck: the image's HEALTHCHECK merged with `--health-*` at create; null or Test ["NONE"]: none.</summary>
    public HealthConfig? Healthcheck { get; set; }

    public List<string>? ExposedPorts { get; set; }

    /// <summary>Container paths that get an anonymous volume unless something else is mounted there (Config.Volumes, `-v /path`).</summary>
    public List<string>? Volumes { get; set; }
}
