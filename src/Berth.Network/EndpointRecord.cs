namespace Berth.Network;

/// <summary>A container's attachment to one network: its lease, MAC, names and published ports.</summary>
public sealed class EndpointRecord
{
    public required string ContainerId { get; init; }

    public required string ContainerName { get; set; }

    public required string EndpointId { get; init; }

    /// <summary>The leased IPv4 address (no prefix).</summary>
    public required string IPv4Address { get; init; }

    public required string MacAddress { get; init; }

    /// <summary>The interface name inside the container (eth0, eth1, ...).</summary>
    public string InterfaceName { get; init; } = "eth0";

    /// <summary>The host end of the veth pair while the container runs; null when it is not wired.</summary>
    public string? HostInterface { get; set; }

    /// <summary>Aliases exactly as the user submitted them (API 1.45 and later echo them unchanged).</summary>
    public List<string> Aliases { get; init; } = [];

    /// <summary>"name:alias" links, served as DNS names on user-defined networks.</summary>
    public List<string> Links { get; init; } = [];

    /// <summary>`--dns` servers: the embedded DNS server forwards this container's other queries to them.</summary>
    public List<string> Dns { get; init; } = [];

    /// <summary>Whether the address was asked for (`--ip`) rather than chosen.</summary>
    public bool StaticAddress { get; init; }

    public List<PortMapping> Ports { get; set; } = [];
}
