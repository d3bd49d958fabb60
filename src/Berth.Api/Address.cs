namespace Berth.Api;

/// <summary>An address with its prefix length.</summary>
public sealed class Address
{
    public string Addr { get; set; } = "";

    public int PrefixLen { get; set; }
}
