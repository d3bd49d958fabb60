namespace Berth.Network.Ipam;

/// <summary>
/// Subnets for networks created without one, from pools like Docker's local default-address-pools
/// (libnetwork/ipamutils): 172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/16 in /20s. A candidate that overlaps a
/// subnet already in use by a network or a route on the host is skipped.
/// </summary>
public sealed class AddressPools
{
    private readonly IReadOnlyList<(Ipv4Cidr Base, int Size)> _pools;

    public AddressPools(IReadOnlyList<(Ipv4Cidr Base, int Size)>? pools = null) => _pools = pools ?? Default;

    public static IReadOnlyList<(Ipv4Cidr Base, int Size)> Default { get; } =
    [
        (Ipv4Cidr.Parse("172.17.0.0/16"), 16),
        (Ipv4Cidr.Parse("172.18.0.0/16"), 16),
        (Ipv4Cidr.Parse("172.19.0.0/16"), 16),
        (Ipv4Cidr.Parse("172.20.0.0/14"), 16),
        (Ipv4Cidr.Parse("172.24.0.0/14"), 16),
        (Ipv4Cidr.Parse("172.28.0.0/14"), 16),
        (Ipv4Cidr.Parse("192.168.0.0/16"), 20),
    ];

    /// <summary>Parses a `--default-address-pool base=172.30.0.0/16,size=24` value.</summary>
    public static (Ipv4Cidr Base, int Size) ParsePool(string text)
    {
        Ipv4Cidr? poolBase = null;
        int size = 0;
        foreach (string part in text.Split(','))
        {
            string[] pair = part.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim() == "base" && Ipv4Cidr.TryParse(pair[1].Trim(), out var cidr))
                poolBase = cidr.Network;
            else if (pair.Length == 2 && pair[0].Trim() == "size" && int.TryParse(pair[1], out int s))
                size = s;
            else
                throw new FormatException($"invalid default address pool `{text}`: want base=CIDR,size=N");
        }
        if (poolBase is null || size < poolBase.Value.PrefixLength || size > 30)
            throw new FormatException($"invalid default address pool `{text}`: the size must be between the base's prefix and 30");
        return (poolBase.Value, size);
    }

    /// <summary>The first subnet of the pools that overlaps nothing in <paramref name="taken"/>, or null when all are used.</summary>
    public Ipv4Cidr? Choose(IEnumerable<Ipv4Cidr> taken)
    {
        var used = taken.ToList();
        foreach (var (poolBase, size) in _pools)
        {
            ulong count = 1UL << (size - poolBase.PrefixLength);
            uint step = (uint)(1UL << (32 - size));
            for (ulong i = 0; i < count; i++)
            {
                var candidate = new Ipv4Cidr(poolBase.Network.Value + (uint)i * step, size);
                if (!used.Any(u => u.Overlaps(candidate)))
                    return candidate;
            }
        }
        return null;
    }
}
