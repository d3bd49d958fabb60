namespace Berth.Api;

/// <summary>The NetworkSettings of a container inspect (swagger <c>NetworkSettings</c>).</summary>
public sealed class NetworkSettings
{
    public string Bridge { get; set; } = "";

    public string SandboxID { get; set; } = "";

    public bool HairpinMode { get; set; }

    public string LinkLocalIPv6Address { get; set; } = "";

    public int LinkLocalIPv6PrefixLen { get; set; }

    /// <summary>Container port (<c>80/tcp</c>) → host bindings, null when not published.</summary>
    public Dictionary<string, List<PortBinding>?> Ports { get; set; } = [];

    public string SandboxKey { get; set; } = "";

    public List<Address>? SecondaryIPAddresses { get; set; }

    public List<Address>? SecondaryIPv6Addresses { get; set; }

    public string EndpointID { get; set; } = "";

    public string Gateway { get; set; } = "";

    public string GlobalIPv6Address { get; set; } = "";

    public int GlobalIPv6PrefixLen { get; set; }

    public string IPAddress { get; set; } = "";

    public int IPPrefixLen { get; set; }

    public string IPv6Gateway { get; set; } = "";

    public string MacAddress { get; set; } = "";

    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];
}
