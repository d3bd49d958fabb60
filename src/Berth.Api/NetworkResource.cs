namespace Berth.Api;

/// <summary>A network as <c>GET /networks</c> and <c>GET /networks/{id}</c> return it (swagger <c>Network</c>).</summary>
public sealed class NetworkResource
{
    public string Name { get; set; } = "";

    public string Id { get; set; } = "";

    public string Created { get; set; } = "";

    public string Scope { get; set; } = "local";

    public string Driver { get; set; } = "";

    public bool EnableIPv4 { get; set; } = true;

    public bool EnableIPv6 { get; set; }

    public NetworkIpam IPAM { get; set; } = new();

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public NetworkConfigReference ConfigFrom { get; set; } = new();

    public bool ConfigOnly { get; set; }

    public Dictionary<string, NetworkContainer> Containers { get; set; } = [];

    public Dictionary<string, string> Options { get; set; } = [];

    public Dictionary<string, string> Labels { get; set; } = [];
}
