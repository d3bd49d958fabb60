using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The HostConfig part of a <see cref="ContainerSummary"/>.</summary>
public sealed class ContainerSummaryHostConfig
{
    public string NetworkMode { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }
}
