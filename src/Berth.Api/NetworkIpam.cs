namespace Berth.Api;

/// <summary>A network's IPAM settings (swagger <c>IPAM</c>).</summary>
public sealed class NetworkIpam
{
    public string Driver { get; set; } = "default";

    public List<IpamConfig>? Config { get; set; }

    public Dictionary<string, string>? Options { get; set; }
}
