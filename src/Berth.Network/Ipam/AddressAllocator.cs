using System.Net;

namespace Berth.Network.Ipam;

/// <summary>
/// Chooses a container address in a network: the lowest free host address of the subnet (or of its --ip-range),
/// never the network, broadcast or gateway address, as Docker's local IPAM does. Callers hold the network lock
/// and persist the lease before releasing it, so an address is never given twice.
/// </summary>
public static class AddressAllocator
{
    public static IPAddress? Next(Ipv4Cidr subnet, Ipv4Cidr? range, IPAddress gateway, IReadOnlySet<uint> leased)
    {
        Ipv4Cidr span = range ?? subnet;
        uint first = span.Network.Value, last = first + (uint)(span.Size - 1);
        uint network = subnet.Network.Value, broadcast = network + (uint)(subnet.Size - 1);
        uint gatewayValue = Ipv4Cidr.ToUInt32(gateway);
        for (ulong candidate = first; candidate <= last; candidate++)
        {
            uint value = (uint)candidate;
            if (value == network || value == broadcast || value == gatewayValue || leased.Contains(value))
                continue;
            return Ipv4Cidr.FromUInt32(value);
        }
        return null;
    }
}
