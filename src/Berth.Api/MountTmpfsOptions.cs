using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Mount.TmpfsOptions; Mode is Go's os.FileMode, a number (permission bits for a tmpfs).</summary>
public sealed class MountTmpfsOptions
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long SizeBytes { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint Mode { get; set; }

    /// <summary>API 1.46+: extra options as [["name", "value"]...].</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<List<string>>? Options { get; set; }
}
