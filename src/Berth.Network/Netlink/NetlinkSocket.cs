using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Network.Interop;

namespace Berth.Network.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket. It belongs to the network namespace of the thread that opened it, for its whole life,
/// so a socket opened on a <see cref="NamespaceThread"/> configures that namespace from any thread afterwards.
/// One request at a time (callers serialize); every request asks for an ACK and the error is raised with its errno.
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    private const ushort NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private const ushort NLM_F_MULTI = 0x2, NLM_F_CAPPED = 0x100, NLM_F_ACK_TLVS = 0x200;
    private const ushort NLMSGERR_ATTR_MSG = 1;

    private readonly int _fd;
    private readonly byte[] _receive = new byte[32 * 1024];
    private uint _sequence;
    private bool _disposed;

    public NetlinkSocket()
    {
        _fd = NetLibc.socket(NetLibc.AF_NETLINK, NetLibc.SOCK_RAW | NetLibc.SOCK_CLOEXEC, NetLibc.NETLINK_ROUTE);
        if (_fd == -1)
            throw new NetlinkException("socket(AF_NETLINK, NETLINK_ROUTE)", Marshal.GetLastPInvokeError());
        var address = new NetLibc.sockaddr_nl { nl_family = NetLibc.AF_NETLINK };
        int one = 1;
        if (NetLibc.bind(_fd, &address, (uint)sizeof(NetLibc.sockaddr_nl)) == -1
            || NetLibc.setsockopt(_fd, NetLibc.SOL_NETLINK, NetLibc.NETLINK_EXT_ACK, &one, sizeof(int)) == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            NetLibc.close(_fd);
            throw new NetlinkException("bind/setsockopt netlink socket", errno);
        }
    }

    /// <summary>Sends a request with NLM_F_ACK and waits for its ACK; throws the kernel's error.</summary>
    internal void Request(NetlinkMessage message, string operation) =>
        Exchange(message, operation, static (_, _) => { });

    /// <summary>Sends a request (a dump or a get) and hands each reply message's type and payload to <paramref name="onMessage"/>.</summary>
    internal void Exchange(NetlinkMessage message, string operation, ReadOnlySpanAction<byte, ushort> onMessage)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        uint sequence = ++_sequence;
        ReadOnlySpan<byte> request = message.Finish(sequence);
        fixed (byte* p = request)
        {
            nint sent;
            do sent = NetLibc.send(_fd, p, (nuint)request.Length, 0);
            while (sent == -1 && Marshal.GetLastPInvokeError() == ErrnoNames.EINTR);
            if (sent == -1)
                throw new NetlinkException($"{operation}: send", Marshal.GetLastPInvokeError());
        }
        while (true)
        {
            int length = ReceiveDatagram(operation);
            int offset = 0;
            while (offset + 16 <= length)
            {
                ReadOnlySpan<byte> header = _receive.AsSpan(offset, 16);
                int messageLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
                ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
                uint messageSequence = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
                if (messageLength < 16 || offset + messageLength > length)
                    throw new NetlinkException($"{operation}: malformed reply", ErrnoNames.EINVAL);
                ReadOnlySpan<byte> payload = _receive.AsSpan(offset + 16, messageLength - 16);
                offset += NetlinkMessage.Align(messageLength);
                if (messageSequence != sequence)
                    continue; // a late reply to an earlier request that was abandoned by an exception
                if (type == NLMSG_DONE)
                    return;
                if (type == NLMSG_ERROR)
                {
                    int error = -BinaryPrimitives.ReadInt32LittleEndian(payload);
                    if (error == 0)
                        return;
                    throw new NetlinkException(operation, error, ExtendedAckMessage(payload, flags));
                }
                onMessage(payload, type);
                if ((flags & NLM_F_MULTI) == 0 && (message.Flags & NetlinkMessage.NLM_F_ACK) == 0)
                    return;
            }
        }
    }

    private int ReceiveDatagram(string operation)
    {
        fixed (byte* p = _receive)
        {
            while (true)
            {
                nint received = NetLibc.recv(_fd, p, (nuint)_receive.Length, 0);
                if (received >= 0)
                    return (int)received;
                int errno = Marshal.GetLastPInvokeError();
                if (errno != ErrnoNames.EINTR)
                    throw new NetlinkException($"{operation}: recv", errno);
            }
        }
    }

    /// <summary>The NLMSGERR_ATTR_MSG text after the echoed request (linux/netlink.h, extended ACK).</summary>
    private static string? ExtendedAckMessage(ReadOnlySpan<byte> payload, ushort flags)
    {
        if ((flags & NLM_F_ACK_TLVS) == 0 || payload.Length < 20)
            return null;
        int echoed = (flags & NLM_F_CAPPED) != 0 ? 16 : (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
        foreach (var attribute in new NetlinkAttributes(payload[Math.Min(payload.Length, 4 + NetlinkMessage.Align(echoed))..]))
            if (attribute.Type == NLMSGERR_ATTR_MSG)
                return Encoding.UTF8.GetString(attribute.Value.TrimEnd((byte)0));
        return null;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        NetLibc.close(_fd);
    }
}
