namespace Berth.Interop;

public static unsafe partial class Sys
{
    public static void Mount(string? source, string target, string? fstype, ulong flags, string? data = null)
    {
        if (Libc.mount(source, target, fstype, flags, data) == -1)
            throw SyscallException.FromLastError($"mount `{source ?? fstype ?? "none"}` on `{target}`");
    }

    public static void Unmount(string target, int flags = 0)
    {
        if (Libc.umount2(target, flags) == -1)
            throw SyscallException.FromLastError($"umount `{target}`");
    }

    /// <summary>Unmounts; returns false when <paramref name="target"/> was not a mount point (EINVAL) or is gone (ENOENT).</summary>
    public static bool TryUnmount(string target, int flags = 0)
    {
        if (Libc.umount2(target, flags) == 0)
            return true;
        int errno = LastErrno;
        if (errno is Errno.EINVAL or Errno.ENOENT)
            return false;
        throw new SyscallException($"umount `{target}`", errno);
    }

    public static void PivotRoot(string newRoot, string putOld)
    {
        fixed (byte* n = Utf8z(newRoot))
        fixed (byte* p = Utf8z(putOld))
            Check(Libc.pivot_root(n, p), $"pivot_root `{newRoot}`");
    }
}
