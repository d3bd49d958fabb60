namespace Berth.Api;

/// <summary>Networks to connect at create; the CLI sends a <c>default</c> endpoint, or none with <c>--network none</c>.</summary>
public sealed class NetworkingConfig
{
    public Dictionary<string, EndpointSettings?>? EndpointsConfig { get; set; }
}
