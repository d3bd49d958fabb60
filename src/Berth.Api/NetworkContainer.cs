namespace Berth.Api;

/// <summary>A container on a network, in network inspect (swagger <c>NetworkContainer</c>).</summary>
public sealed class NetworkContainer
{
    public string Name { get; set; } = "";

    public string EndpointID { get; set; } = "";

    public string MacAddress { get; set; } = "";

    /// <summary>With its prefix: "172.19.0.2/16".</summary>
    public string IPv4Address { get; set; } = "";

    public string IPv6Address { get; set; } = "";
}
