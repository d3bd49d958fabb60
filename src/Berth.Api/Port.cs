using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>A port of a container in <c>docker ps</c> (swagger <c>Port</c>).</summary>
public sealed class Port
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IP { get; set; }

    public int PrivatePort { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PublicPort { get; set; }

    /// <summary><c>tcp</c>, <c>udp</c> or <c>sctp</c>.</summary>
    public string Type { get; set; } = "";
}
