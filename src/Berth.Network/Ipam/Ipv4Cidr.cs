using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Ipam;

/// <summary>An IPv4 address with a prefix length ("172.18.0.2/16"), as a value; arithmetic on the 32-bit number.</summary>
public readonly record struct Ipv4Cidr
{
    public Ipv4Cidr(IPAddress address, int prefixLength)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        Value = ToUInt32(address);
        PrefixLength = prefixLength;
    }

    public Ipv4Cidr(uint value, int prefixLength)
    {
        Value = value;
        PrefixLength = prefixLength;
    }

    public uint Value { get; }

    public int PrefixLength { get; }

    public IPAddress Address => FromUInt32(Value);

    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <summary>The network itself: host bits cleared.</summary>
    public Ipv4Cidr Network => new(Value & Mask, PrefixLength);

    public IPAddress Broadcast => FromUInt32((Value & Mask) | ~Mask);

    public ulong Size => 1UL << (32 - PrefixLength);

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (ToUInt32(address) & Mask) == (Value & Mask);

    public bool Contains(Ipv4Cidr other) => other.PrefixLength >= PrefixLength && (other.Value & Mask) == (Value & Mask);

    public bool Overlaps(Ipv4Cidr other) => Contains(other) || other.Contains(this);

    public override string ToString() => $"{Address}/{PrefixLength}";

    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out var cidr) ? cidr : throw new FormatException($"invalid CIDR address: {text}");

    public static bool TryParse(string? text, out Ipv4Cidr cidr)
    {
        cidr = default;
        int slash = text?.IndexOf('/') ?? -1;
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text.AsSpan(slash + 1), out int prefix) || prefix is < 0 or > 32)
            return false;
        cidr = new Ipv4Cidr(address, prefix);
        return true;
    }

    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address) =>
        IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork
        && text!.Count(c => c == '.') == 3;

    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
