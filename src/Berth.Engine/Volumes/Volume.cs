using System.Text.Json.Serialization;

namespace Berth.Engine.Volumes;

/// <summary>
/// A volume of the <c>local</c> driver: its data directory <c>volumes/&lt;name&gt;/_data</c> and what
/// <c>volume.json</c> beside it records (written atomically, once, at create).
/// </summary>
public sealed class Volume
{
    /// <summary>The label moby puts on a volume created without a name (`-v /path`, an image's VOLUME).</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    public string Name { get; set; } = "";

    public string Driver { get; set; } = VolumeStore.LocalDriver;

    public DateTime CreatedAt { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>The driver options (`-o type=tmpfs -o device=tmpfs -o o=size=64m`); empty for a plain directory.</summary>
    public Dictionary<string, string> Options { get; set; } = [];

    /// <summary>The host directory the volume's files are in (and its device is mounted on, with options).</summary>
    [JsonIgnore]
    public string Mountpoint { get; internal set; } = "";

    [JsonIgnore]
    public bool IsAnonymous => Labels.ContainsKey(AnonymousLabel);
}
