namespace Berth.Api;

/// <summary>One subnet of a network (swagger <c>IPAMConfig</c>).</summary>
public sealed class IpamConfig
{
    public string? Subnet { get; set; }

    public string? IPRange { get; set; }

    public string? Gateway { get; set; }

    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
}
