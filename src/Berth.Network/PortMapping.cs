namespace Berth.Network;

/// <summary>
/// One published port: host address and port to the container's port, for tcp or udp. <paramref name="HostPortEnd"/>
/// above <paramref name="HostPort"/>: `-p 8000-8010:80`, the first free port of that range (0: just HostPort).
/// </summary>
public sealed record PortMapping(string Protocol, string HostIp, int HostPort, int ContainerPort, int HostPortEnd = 0)
{
    /// <summary>Whether the binding is on every host address (HostIp empty or 0.0.0.0).</summary>
    public bool AnyAddress => HostIp.Length == 0 || HostIp == "0.0.0.0";
}
