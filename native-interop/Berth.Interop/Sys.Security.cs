namespace Berth.Interop;

public static unsafe partial class Sys
{
    public static void Prctl(int option, ulong arg2, string what)
    {
        if (Libc.prctl(option, arg2, 0, 0, 0) == -1)
            throw SyscallException.FromLastError($"prctl {what}");
    }

    /// <summary>Sets the effective, permitted and inheritable capability sets of the calling thread.</summary>
    public static void CapSet(ulong effective, ulong permitted, ulong inheritable)
    {
        var header = new Libc.CapUserHeader { Version = Libc._LINUX_CAPABILITY_VERSION_3, Pid = 0 };
        var data = stackalloc Libc.CapUserData[2];
        data[0] = new Libc.CapUserData { Effective = (uint)effective, Permitted = (uint)permitted, Inheritable = (uint)inheritable };
        data[1] = new Libc.CapUserData { Effective = (uint)(effective >> 32), Permitted = (uint)(permitted >> 32), Inheritable = (uint)(inheritable >> 32) };
        Check(Libc.capset(&header, data), "capset");
    }
}
