namespace Berth.Api;

/// <summary>A volume (swagger <c>Volume</c>).</summary>
public sealed class Volume
{
    public string Name { get; set; } = "";

    public string Driver { get; set; } = "";

    public string Mountpoint { get; set; } = "";

    /// <summary>RFC 3339, seconds, as moby's local driver reports it.</summary>
    public string CreatedAt { get; set; } = "";

    public Dictionary<string, string>? Labels { get; set; }

    public string Scope { get; set; } = "local";

    public Dictionary<string, string>? Options { get; set; }

    /// <summary>Only from /system/df; -1 for what was not measured.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public VolumeUsageData? UsageData { get; set; }
}
