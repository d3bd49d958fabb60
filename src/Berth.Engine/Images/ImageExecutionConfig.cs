using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>The <c>config</c> object of an image configuration: the defaults a container is created with.</summary>
public sealed class ImageExecutionConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    /// <summary>Keys like <c>80/tcp</c>; the values are empty objects.</summary>
    [JsonPropertyName("ExposedPorts")]
    public IReadOnlyDictionary<string, JsonElement>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Keys are container paths; the values are empty objects.</summary>
    [JsonPropertyName("Volumes")]
    public IReadOnlyDictionary<string, JsonElement>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    /// <summary>Docker's healthcheck object, kept raw (Test, Interval, Timeout, StartPeriod, Retries, ...).</summary>
    [JsonPropertyName("Healthcheck")]
    public JsonElement? Healthcheck { get; init; }

    [JsonPropertyName("OnBuild")]
    public IReadOnlyList<string>? OnBuild { get; init; }

    [JsonPropertyName("Shell")]
    public IReadOnlyList<string>? Shell { get; init; }

    [JsonPropertyName("ArgsEscaped")]
    public bool? ArgsEscaped { get; init; }
}
