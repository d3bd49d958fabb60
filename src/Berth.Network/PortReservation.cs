using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Berth.Network.Interop;
using Berth.Network.Netlink;

namespace Berth.Network;

/// <summary>
/// A host port held by a bound, never listening socket, as dockerd holds published ports, so nothing else on the
/// host can take it and a port someone else holds is refused. Raw libc rather than <see cref="System.Net.Sockets.Socket"/>:
/// a .NET socket bound this way does not conflict with a second one on the same port (measured here: both binds
/// of 0.0.0.0:9192 succeeded even with SO_REUSEADDR and SO_REUSEPORT cleared), while plain bind(2) gives EADDRINUSE.
/// </summary>
public sealed unsafe class PortReservation : SafeHandle
{
    private PortReservation() : base(-1, ownsHandle: true) { }

    public int Port { get; private set; }

    public override bool IsInvalid => handle == -1;

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> (0: the kernel picks from ip_local_port_range).</summary>
    public static PortReservation Bind(string protocol, IPAddress address, int port)
    {
        int fd = NetLibc.socket(NetLibc.AF_INET, (protocol == "udp" ? NetLibc.SOCK_DGRAM : NetLibc.SOCK_STREAM) | NetLibc.SOCK_CLOEXEC, 0);
        if (fd == -1)
            throw new NetlinkException($"socket({protocol})", Marshal.GetLastPInvokeError());
        var reservation = new PortReservation();
        reservation.SetHandle(fd);
        byte* sockaddr = stackalloc byte[16];
        new Span<byte>(sockaddr, 16).Clear();
        sockaddr[0] = NetLibc.AF_INET;
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(sockaddr + 2, 2), (ushort)port);
        address.TryWriteBytes(new Span<byte>(sockaddr + 4, 4), out _);
        uint length = 16;
        if (NetLibc.bind(fd, sockaddr, 16) == -1 || NetLibc.getsockname(fd, sockaddr, &length) == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            reservation.Dispose();
            throw new NetlinkException($"bind {protocol} {address}:{port}", errno);
        }
        reservation.Port = BinaryPrimitives.ReadUInt16BigEndian(new Span<byte>(sockaddr + 2, 2));
        return reservation;
    }

    protected override bool ReleaseHandle() => NetLibc.close((int)handle) == 0;
}
