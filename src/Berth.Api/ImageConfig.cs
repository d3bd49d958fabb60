using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The Config of an image inspect (swagger <c>ImageConfig</c>): the defaults a container starts from.</summary>
public sealed class ImageConfig
{
    public string User { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, EmptyObject?>? ExposedPorts { get; set; }

    public List<string>? Env { get; set; }

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Cmd { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthConfig? Healthcheck { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ArgsEscaped { get; set; }

    public Dictionary<string, EmptyObject?>? Volumes { get; set; }

    public string WorkingDir { get; set; } = "";

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Entrypoint { get; set; }

    public List<string>? OnBuild { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Shell { get; set; }
}
