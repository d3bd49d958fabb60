using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// A container's configuration (swagger <c>ContainerConfig</c>): the body of <c>POST /containers/create</c>
/// (through <see cref="ContainerCreateRequest"/>) and the <c>Config</c> of a container inspect. Lists and maps
/// accept <c>null</c> or empty values; <c>Cmd</c>, <c>Entrypoint</c> and <c>Shell</c> also accept a single string.
/// </summary>
public class ContainerConfig
{
    public string Hostname { get; set; } = "";

    public string Domainname { get; set; } = "";

    public string User { get; set; } = "";

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    /// <summary>Keys like <c>80/tcp</c>, values <c>{}</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, EmptyObject?>? ExposedPorts { get; set; }

    public bool Tty { get; set; }

    public bool OpenStdin { get; set; }

    public bool StdinOnce { get; set; }

    /// <summary><c>KEY=VALUE</c> entries.</summary>
    public List<string>? Env { get; set; }

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Cmd { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthConfig? Healthcheck { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ArgsEscaped { get; set; }

    public string Image { get; set; } = "";

    /// <summary>Keys are container paths, values <c>{}</c>.</summary>
    public Dictionary<string, EmptyObject?>? Volumes { get; set; }

    public string WorkingDir { get; set; } = "";

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Entrypoint { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? NetworkDisabled { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MacAddress { get; set; }

    public List<string>? OnBuild { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set; }

    /// <summary>Seconds to wait after the stop signal before SIGKILL; null means the daemon's default (10).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StopTimeout { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Shell { get; set; }
}
