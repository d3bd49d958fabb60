namespace Berth.Api;

/// <summary>Static addresses requested for an endpoint (swagger <c>EndpointIPAMConfig</c>).</summary>
public sealed class EndpointIpamConfig
{
    public string IPv4Address { get; set; } = "";

    public string IPv6Address { get; set; } = "";

    public List<string>? LinkLocalIPs { get; set; }
}
