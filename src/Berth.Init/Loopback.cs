using System.Runtime.InteropServices;
using Berth.Interop;
using static Tmds.Linux.LibC;

namespace Berth.Init;

/// <summary>Brings `lo` up in the container's new network namespace (SIOCSIFFLAGS), as Docker does for every container.</summary>
public static unsafe class Loopback
{
    private const short IFF_UP = 0x1;

    [StructLayout(LayoutKind.Sequential, Size = 40)]
    private struct IfReq
    {
        public fixed byte Name[16];
        public short Flags;
    }

    public static void BringUp()
    {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd == -1)
            throw SyscallException.FromLastError("socket AF_INET");
        try
        {
            IfReq request = default;
            request.Name[0] = (byte)'l';
            request.Name[1] = (byte)'o';
            if (ioctl(fd, SIOCGIFFLAGS, &request) == -1)
                throw SyscallException.FromLastError("ioctl SIOCGIFFLAGS lo");
            request.Flags |= IFF_UP;
            if (ioctl(fd, SIOCSIFFLAGS, &request) == -1)
                throw SyscallException.FromLastError("ioctl SIOCSIFFLAGS lo");
        }
        finally
        {
            close(fd);
        }
    }
}
