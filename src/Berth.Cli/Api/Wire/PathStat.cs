using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>
/// The <c>X-Docker-Container-Path-Stat</c> header of <c>HEAD/GET /containers/{id}/archive</c>, base64 JSON
/// (moby container.PathStat); <see cref="Mode"/> holds Go's os.FileMode bits.
/// </summary>
public sealed class PathStat
{
    public const uint ModeDir = 1u << 31;
    public const uint ModeSymlink = 1u << 27;
    public const uint ModeDevice = 1u << 26;
    public const uint ModeNamedPipe = 1u << 25;
    public const uint ModeSocket = 1u << 24;
    public const uint ModeCharDevice = 1u << 21;
    public const uint ModeIrregular = 1u << 19;

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("mode")]
    public uint Mode { get; set; }

    [JsonPropertyName("mtime")]
    public string? Mtime { get; set; }

    [JsonPropertyName("linkTarget")]
    public string LinkTarget { get; set; } = "";

    [JsonIgnore]
    public bool IsDir => (Mode & ModeDir) != 0;

    [JsonIgnore]
    public bool IsSymlink => (Mode & ModeSymlink) != 0;
}
