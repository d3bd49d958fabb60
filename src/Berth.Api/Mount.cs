using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>A mount requested with <c>--mount</c> (HostConfig.Mounts). The option objects are kept as raw JSON.</summary>
public sealed class Mount
{
    public string Target { get; set; } = "";

    public string Source { get; set; } = "";

    /// <summary><c>bind</c>, <c>volume</c>, <c>tmpfs</c>, <c>npipe</c>, <c>cluster</c>, <c>image</c>.</summary>
    public string Type { get; set; } = "";

    public bool ReadOnly { get; set; }

    public string Consistency { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? BindOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? VolumeOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? ImageOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? TmpfsOptions { get; set; }
}
