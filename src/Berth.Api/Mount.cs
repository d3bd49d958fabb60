using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>A mount requested with <c>--mount</c> (HostConfig.Mounts, swagger <c>Mount</c>).</summary>
public sealed class Mount
{
    public string Target { get; set; } = "";

    public string Source { get; set; } = "";

    /// <summary><c>bind</c>, <c>volume</c>, <c>tmpfs</c>, <c>npipe</c>, <c>cluster</c>, <c>image</c>.</summary>
    public string Type { get; set; } = "";

    public bool ReadOnly { get; set; }

    public string Consistency { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountBindOptions? BindOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountVolumeOptions? VolumeOptions { get; set; }

    /// <summary>Kept as raw JSON: Berth refuses image mounts, whatever their options.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public System.Text.Json.JsonElement? ImageOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountTmpfsOptions? TmpfsOptions { get; set; }
}
