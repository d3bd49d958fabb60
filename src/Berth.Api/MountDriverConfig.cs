using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Mount.VolumeOptions.DriverConfig: the driver of a volume created for the mount, and its options.</summary>
public sealed class MountDriverConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string Name { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Options { get; set; }
}
