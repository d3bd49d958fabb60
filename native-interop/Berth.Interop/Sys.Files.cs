using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFIFO = 0x1000;

    public static void Mknod(string path, uint mode, ulong dev)
    {
        fixed (byte* p = Utf8z(path))
            Check(mknod(p, (mode_t)mode, (dev_t)dev), $"mknod `{path}`");
    }

    public static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) |
        ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static void Lchown(string path, int uid, int gid)
    {
        fixed (byte* p = Utf8z(path))
            Check(lchown(p, (uint)uid, (uint)gid), $"lchown `{path}`");
    }

    public static void Link(string existing, string newPath)
    {
        fixed (byte* e = Utf8z(existing))
        fixed (byte* n = Utf8z(newPath))
            Check(link(e, n), $"link `{existing}` to `{newPath}`");
    }

    /// <summary>Sets the access and modification times of a path without following a final symlink.</summary>
    public static void SetTimesNoFollow(string path, DateTimeOffset mtime)
    {
        long ticks = mtime.ToUnixTimeMilliseconds();
        var times = stackalloc timespec[2];
        times[0].tv_sec = (time_t)(ticks / 1000);
        times[0].tv_nsec = (long_t)(ticks % 1000 * 1_000_000);
        times[1] = times[0];
        fixed (byte* p = Utf8z(path))
            Check(utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW), $"utimensat `{path}`");
    }

    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* v = value)
            if (Libc.lsetxattr(path, name, v, (nuint)value.Length, 0) == -1)
                throw SyscallException.FromLastError($"setxattr `{name}` on `{path}`");
    }

    /// <summary>The value of an extended attribute, or null when the path does not have it.</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        var buffer = new byte[256];
        fixed (byte* b = buffer)
        {
            nint n = Libc.lgetxattr(path, name, b, (nuint)buffer.Length);
            if (n >= 0)
                return buffer.AsSpan(0, (int)n).ToArray();
        }
        int errno = LastErrno;
        if (errno is Errno.ENODATA or Errno.EOPNOTSUPP)
            return null;
        throw new SyscallException($"getxattr `{name}` on `{path}`", errno);
    }

    /// <summary>
    /// Opens <paramref name="path"/> as if <paramref name="root"/> were "/": symlinks and ".." never
    /// leave it (openat2 RESOLVE_IN_ROOT). Use this to read files of a container's filesystem from the host.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenInRoot(string root, string path, int flags)
    {
        int rootFd;
        fixed (byte* r = Utf8z(root))
            rootFd = open(r, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        Check(rootFd, $"open `{root}`");
        try
        {
            var how = new open_how { flags = (ulong)(flags | O_CLOEXEC), resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
            int fd;
            fixed (byte* p = Utf8z(path))
            {
                do
                    fd = (int)Libc.syscall(Libc.SYS_openat2, rootFd, (long)p, (long)&how, sizeof(open_how), 0);
                while (fd == -1 && LastErrno == Errno.EINTR);
            }
            Check(fd, $"open `{path}` in `{root}`");
            return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        }
        finally
        {
            close(rootFd);
        }
    }
}
