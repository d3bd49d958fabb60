using System.Runtime.InteropServices;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    public const uint _LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    public struct CapUserHeader
    {
        public uint Version;
        public int Pid;
    }

    public struct CapUserData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    /// <summary>capset(2) on the calling thread. data points at two CapUserData (bits 0-31, 32-63).</summary>
    public static int capset(CapUserHeader* header, CapUserData* data) => (int)syscall(SYS_capset, (long)header, (long)data, 0, 0, 0);

    public static int capget(CapUserHeader* header, CapUserData* data) => (int)syscall(SYS_capget, (long)header, (long)data, 0, 0, 0);
}
