namespace Berth.Network;

/// <summary>What `POST /networks/create` asks for (bridge driver).</summary>
public sealed class NetworkCreateOptions
{
    public required string Name { get; init; }

    public string Driver { get; init; } = NetworkDrivers.Bridge;

    public string? Subnet { get; init; }

    public string? Gateway { get; init; }

    public string? IpRange { get; init; }

    public bool Internal { get; init; }

    public bool Attachable { get; init; }

    public Dictionary<string, string> Labels { get; init; } = [];

    public Dictionary<string, string> Options { get; init; } = [];
}
