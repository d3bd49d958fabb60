namespace Berth.Api;

/// <summary>A container's endpoint on a network (swagger <c>EndpointSettings</c>).</summary>
public sealed class EndpointSettings
{
    public EndpointIpamConfig? IPAMConfig { get; set; }

    public List<string>? Links { get; set; }

    public string MacAddress { get; set; } = "";

    public List<string>? Aliases { get; set; }

    public Dictionary<string, string>? DriverOpts { get; set; }

    public int GwPriority { get; set; }

    public string NetworkID { get; set; } = "";

    public string EndpointID { get; set; } = "";

    public string Gateway { get; set; } = "";

    public string IPAddress { get; set; } = "";

    public int IPPrefixLen { get; set; }

    public string IPv6Gateway { get; set; } = "";

    public string GlobalIPv6Address { get; set; } = "";

    public int GlobalIPv6PrefixLen { get; set; }

    public List<string>? DNSNames { get; set; }
}
