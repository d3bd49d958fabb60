namespace Berth.Api;

/// <summary>The body of <c>POST /networks/create</c>. <c>CheckDuplicate</c> (compose 1.29) is accepted and ignored: a duplicate name always fails since API 1.44.</summary>
public sealed class NetworkCreateRequest
{
    public string Name { get; set; } = "";

    public string? Driver { get; set; }

    public string? Scope { get; set; }

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool Ingress { get; set; }

    public bool ConfigOnly { get; set; }

    public NetworkConfigReference? ConfigFrom { get; set; }

    public NetworkIpam? IPAM { get; set; }

    public bool? EnableIPv4 { get; set; }

    public bool? EnableIPv6 { get; set; }

    public bool? CheckDuplicate { get; set; }

    public Dictionary<string, string>? Options { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}
