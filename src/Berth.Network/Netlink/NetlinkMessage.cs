using System.Buffers.Binary;
using System.Text;

namespace Berth.Network.Netlink;

/// <summary>
/// Builds one netlink request: the 16-byte nlmsghdr, a fixed family header, then 4-byte aligned attributes,
/// nested ones closed by <see cref="EndNested"/>. Hand-written because no NuGet package speaks rtnetlink
/// without reflection or a native helper; the format is small and fixed (linux/netlink.h, linux/rtnetlink.h).
/// </summary>
internal sealed class NetlinkMessage
{
    public const ushort NLM_F_REQUEST = 0x1, NLM_F_ACK = 0x4, NLM_F_ROOT = 0x100, NLM_F_MATCH = 0x200,
        NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public const ushort NLA_F_NESTED = 0x8000;

    private readonly byte[] _buffer = new byte[1024];
    private int _length;

    public NetlinkMessage(ushort type, ushort flags)
    {
        Flags = flags;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), flags);
        _length = 16;
    }

    public ushort Flags { get; }

    public ReadOnlySpan<byte> Finish(uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), sequence);
        return _buffer.AsSpan(0, _length);
    }

    /// <summary>struct ifinfomsg: family, type, index, flags, change.</summary>
    public NetlinkMessage IfInfo(byte family, int index, uint flags = 0, uint change = 0)
    {
        Span<byte> s = Reserve(16);
        s[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], change);
        return this;
    }

    /// <summary>struct ifaddrmsg: family, prefix length, flags, scope, index.</summary>
    public NetlinkMessage IfAddr(byte family, byte prefixLength, int index)
    {
        Span<byte> s = Reserve(8);
        s[0] = family;
        s[1] = prefixLength;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        return this;
    }

    /// <summary>struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags.</summary>
    public NetlinkMessage RtMsg(byte family, byte dstLength, byte table, byte protocol, byte scope, byte type)
    {
        Span<byte> s = Reserve(12);
        s[0] = family;
        s[1] = dstLength;
        s[4] = table;
        s[5] = protocol;
        s[6] = scope;
        s[7] = type;
        return this;
    }

    public NetlinkMessage Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> s = Reserve(Align(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        value.CopyTo(s[4..]);
        return this;
    }

    public NetlinkMessage Attribute(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attribute(type, bytes);
    }

    public NetlinkMessage Attribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    public NetlinkMessage Attribute(ushort type, byte value) => Attribute(type, [value]);

    /// <summary>Opens a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        Span<byte> s = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], (ushort)(type | NLA_F_NESTED));
        return start;
    }

    /// <summary>Opens a nested attribute whose payload starts with a fixed header (VETH_INFO_PEER's ifinfomsg).</summary>
    public int BeginNestedPlain(ushort type)
    {
        int start = _length;
        Span<byte> s = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    private Span<byte> Reserve(int size)
    {
        if (_length + size > _buffer.Length)
            throw new InvalidOperationException("netlink request larger than its 1 KiB buffer");
        Span<byte> s = _buffer.AsSpan(_length, size);
        s.Clear();
        _length += size;
        return s;
    }

    public static int Align(int length) => (length + 3) & ~3;
}
