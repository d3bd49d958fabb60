namespace Berth.Api;

/// <summary>The NetworkSettings part of a <see cref="ContainerSummary"/>: the networks the container is attached to.</summary>
public sealed class ContainerSummaryNetworkSettings
{
    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];
}
