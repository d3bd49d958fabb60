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

    /// <summary>A detached recursive copy of the mount tree at <paramref name="path"/> (open_tree OPEN_TREE_CLONE), as an fd.</summary>
    public static int CloneMountTree(string path)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = Libc.open_tree(-100 /* AT_FDCWD */, p, Libc.OPEN_TREE_CLONE | Libc.OPEN_TREE_CLOEXEC | Libc.AT_RECURSIVE);
        Check(fd, $"open_tree `{path}`");
        return fd;
    }

    /// <summary>Attaches a mount tree from <see cref="CloneMountTree"/> at <paramref name="target"/>.</summary>
    public static void AttachMountTree(int treeFd, string target)
    {
        fixed (byte* empty = Utf8z(""))
        fixed (byte* t = Utf8z(target))
            Check(Libc.move_mount(treeFd, empty, -100 /* AT_FDCWD */, t, Libc.MOVE_MOUNT_F_EMPTY_PATH), $"move_mount to `{target}`");
    }

    /// <summary>
    /// A detached copy of the one mount at <paramref name="path"/>, without the mounts below it (open_tree
    /// OPEN_TREE_CLONE), as an O_PATH handle on its root. It lives until the handle is closed and never keeps
    /// the original busy, so the original can be unmounted meanwhile.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle CloneMount(string path)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = Libc.open_tree(-100 /* AT_FDCWD */, p, Libc.OPEN_TREE_CLONE | Libc.OPEN_TREE_CLOEXEC);
        Check(fd, $"open_tree `{path}`");
        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }
}
