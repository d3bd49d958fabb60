using System.Buffers.Binary;

namespace Berth.Network.Netlink;

/// <summary>Enumerates the (type, value) attributes of a netlink payload; the nested flag is masked off.</summary>
internal ref struct NetlinkAttributes
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkAttributes(ReadOnlySpan<byte> attributes) => _rest = attributes;

    public NetlinkAttribute Current { get; private set; }

    public readonly NetlinkAttributes GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < 4)
            return false;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
            return false;
        ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3fff);
        Current = new NetlinkAttribute(type, _rest[4..length]);
        _rest = _rest[Math.Min(_rest.Length, NetlinkMessage.Align(length))..];
        return true;
    }
}

/// <summary>One netlink attribute: its type (flags masked) and value.</summary>
internal readonly ref struct NetlinkAttribute(ushort type, ReadOnlySpan<byte> value)
{
    public ushort Type { get; } = type;

    public ReadOnlySpan<byte> Value { get; } = value;
}
