namespace Berth.Network;

/// <summary>Docker's driver names and the three predefined networks.</summary>
public static class NetworkDrivers
{
    public const string Bridge = "bridge";
    public const string Host = "host";
    public const string Null = "null";

    public const string DefaultNetwork = "bridge";
    public const string HostNetwork = "host";
    public const string NoneNetwork = "none";

    /// <summary>Berth's own default bridge device: not docker0, so Berth and Docker can share a host.</summary>
    public const string DefaultBridgeName = "berth0";

    public static bool IsPredefined(string name) => name is DefaultNetwork or HostNetwork or NoneNetwork;
}
