namespace Berth.Network;

/// <summary>
/// A network as stored in networks/&lt;id&gt;.json: its configuration and its endpoints (the leases of its IPAM).
/// The firewall table and the bridges are rebuilt from these records at daemon start.
/// </summary>
public sealed class NetworkRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>bridge, host or null (Docker's names).</summary>
    public required string Driver { get; init; }

    /// <summary>The Linux bridge device (bridge driver only).</summary>
    public string? BridgeName { get; init; }

    /// <summary>The subnet in CIDR form, host bits clear.</summary>
    public string? Subnet { get; init; }

    public string? Gateway { get; init; }

    public string? IpRange { get; init; }

    /// <summary>Whether the user chose the subnet (`--ip` is only accepted then, as Docker does).</summary>
    public bool UserSubnet { get; init; }

    public bool Internal { get; init; }

    public bool Attachable { get; init; }

    public bool EnableIcc { get; init; } = true;

    public bool Masquerade { get; init; } = true;

    public int Mtu { get; init; } = 1500;

    /// <summary>The default `bridge` network: legacy links and the top-level NetworkSettings fields apply to it only.</summary>
    public bool IsDefaultBridge { get; init; }

    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary>The driver options as the user gave them (compose compares them with its file).</summary>
    public Dictionary<string, string> Options { get; init; } = [];

    /// <summary>Endpoints by container ID.</summary>
    public Dictionary<string, EndpointRecord> Endpoints { get; init; } = [];

    /// <summary>Counts the record's writes, so loading can tell the newer of its two files (<see cref="NetworkStore"/>).</summary>
    public long Generation { get; set; }

    public bool IsBridge => Driver == NetworkDrivers.Bridge;
}
