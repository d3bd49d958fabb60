using System.Text;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

/// <summary>
/// Calls relative to a directory handle, for trees that someone else may change meanwhile (a running
/// container's filesystem). A <c>name</c> is a single path component, and no call here follows a
/// symlink in its last component; only <see cref="TryOpenAt2"/> resolves longer paths, as its
/// <c>resolve</c> flags allow. The "Try" forms return false on EEXIST only, unless they say otherwise.
/// </summary>
public static unsafe partial class Sys
{
    /// <summary>openat2 flags: resolve as if the directory were "/", so ".." and symlinks never leave it.</summary>
    public static readonly ulong ResolveInRoot = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

    /// <summary>openat2 flags: stay below the directory and refuse every symlink, the last component too (ELOOP).</summary>
    public static readonly ulong ResolveBeneathNoSymlinks = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

    /// <summary>
    /// openat2(2) of <paramref name="path"/> under <paramref name="directory"/>; false with the errno when it fails.
    /// EINTR and EAGAIN (a concurrent rename or mount seen by RESOLVE_IN_ROOT/BENEATH) are retried.
    /// </summary>
    public static bool TryOpenAt2(SafeFileHandle directory, string path, int flags, ulong resolve, out SafeFileHandle handle, out int errno)
    {
        var how = new open_how { flags = (ulong)(flags | O_CLOEXEC), resolve = resolve };
        int fd;
        int attempts = 0;
        fixed (byte* p = Utf8z(path.Length == 0 ? "." : path))
        {
            do
                fd = (int)Libc.syscall(Libc.SYS_openat2, Fd(directory), (long)p, (long)&how, sizeof(open_how), 0);
            while (fd == -1 && (LastErrno == Errno.EINTR || (LastErrno == Errno.EAGAIN && ++attempts < 100)));
        }
        errno = fd == -1 ? LastErrno : 0;
        handle = fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : new SafeFileHandle();
        return fd >= 0;
    }

    public static SafeFileHandle OpenAt2(SafeFileHandle directory, string path, int flags, ulong resolve) =>
        TryOpenAt2(directory, path, flags, resolve, out var handle, out int errno) ? handle : throw new SyscallException($"openat2 `{path}`", errno);

    /// <summary>open(2) of a host path; false when it does not exist (ENOENT).</summary>
    public static bool TryOpen(string path, int flags, out SafeFileHandle handle)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = open(p, flags | O_CLOEXEC, 0);
        handle = fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : new SafeFileHandle();
        return fd >= 0 || (LastErrno == Errno.ENOENT ? false : throw SyscallException.FromLastError($"open `{path}`"));
    }

    /// <summary>statx(2) of <paramref name="name"/> without following it; false when it does not exist (ENOENT, ENOTDIR).</summary>
    public static bool TryStatAt(SafeFileHandle directory, string name, out FileStat status)
    {
        if (StatX(directory, name, AT_SYMLINK_NOFOLLOW, out status, out int errno))
            return true;
        return errno is Errno.ENOENT or Errno.ENOTDIR ? false : throw new SyscallException($"statx `{name}`", errno);
    }

    /// <summary>statx(2) of what <paramref name="handle"/> refers to (O_PATH handles too).</summary>
    public static FileStat Fstat(SafeFileHandle handle) =>
        StatX(handle, "", AT_EMPTY_PATH, out var status, out int errno) ? status : throw new SyscallException("statx of an open file", errno);

    private static bool StatX(SafeFileHandle directory, string name, int flags, out FileStat status, out int errno)
    {
        statx st;
        int rc;
        fixed (byte* p = Utf8z(name))
            rc = statx(Fd(directory), p, flags, STATX_BASIC_STATS, &st);
        errno = rc == -1 ? LastErrno : 0;
        status = rc == -1 ? default : new FileStat(
            st.stx_mode, st.stx_uid, st.stx_gid, (long)st.stx_size, st.stx_ino, st.stx_nlink,
            MakeDev(st.stx_rdev_major, st.stx_rdev_minor), MakeDev(st.stx_dev_major, st.stx_dev_minor),
            st.stx_mtime.tv_sec * 1_000_000_000L + st.stx_mtime.tv_nsec,
            (st.stx_attributes & st.stx_attributes_mask & Libc.STATX_ATTR_MOUNT_ROOT) != 0);
        return rc == 0;
    }

    public static string ReadLinkAt(SafeFileHandle directory, string name)
    {
        var buffer = new byte[4096];
        long n;
        fixed (byte* p = Utf8z(name))
        fixed (byte* b = buffer)
            n = readlinkat(Fd(directory), p, b, (size_t)buffer.Length);
        if (n == -1)
            throw SyscallException.FromLastError($"readlinkat `{name}`");
        return Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    /// <summary>The names in a directory opened for reading (not O_PATH), without "." and "..".</summary>
    public static List<string> ReadDirectory(SafeFileHandle directory)
    {
        var names = new List<string>();
        var buffer = new byte[32 * 1024];
        while (true)
        {
            long n;
            fixed (byte* b = buffer)
                n = Libc.syscall(Libc.SYS_getdents64, Fd(directory), (long)b, buffer.Length, 0, 0);
            if (n == -1)
                throw SyscallException.FromLastError("getdents64");
            if (n == 0)
                return names;
            // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[].
            for (int offset = 0; offset < n;)
            {
                int length = BitConverter.ToUInt16(buffer, offset + 16);
                var name = buffer.AsSpan(offset + 19, length - 19);
                string text = Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);
                if (text is not ("." or ".."))
                    names.Add(text);
                offset += length;
            }
        }
    }

    public static bool TryMkdirAt(SafeFileHandle directory, string name, uint mode)
    {
        int rc;
        fixed (byte* p = Utf8z(name))
            rc = mkdirat(Fd(directory), p, (mode_t)mode);
        return rc == 0 || Exists(LastErrno, $"mkdirat `{name}`");
    }

    /// <summary>Creates a new regular file for writing (O_CREAT|O_EXCL|O_NOFOLLOW): never opens or follows what is there.</summary>
    public static bool TryCreateAt(SafeFileHandle directory, string name, uint mode, out SafeFileHandle handle)
    {
        int fd;
        fixed (byte* p = Utf8z(name))
            fd = openat(Fd(directory), p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
        handle = fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : new SafeFileHandle();
        return fd >= 0 || Exists(LastErrno, $"openat `{name}`");
    }

    public static bool TrySymlinkAt(string target, SafeFileHandle directory, string name)
    {
        int rc;
        fixed (byte* t = Utf8z(target))
        fixed (byte* p = Utf8z(name))
            rc = symlinkat(t, Fd(directory), p);
        return rc == 0 || Exists(LastErrno, $"symlinkat `{name}` -> `{target}`");
    }

    /// <summary>linkat(2) without AT_SYMLINK_FOLLOW: a symlink is linked itself, never followed.</summary>
    public static bool TryLinkAt(SafeFileHandle existingDirectory, string existingName, SafeFileHandle directory, string name)
    {
        int rc;
        fixed (byte* e = Utf8z(existingName))
        fixed (byte* n = Utf8z(name))
            rc = linkat(Fd(existingDirectory), e, Fd(directory), n, 0);
        return rc == 0 || Exists(LastErrno, $"linkat `{name}` to `{existingName}`");
    }

    public static bool TryMknodAt(SafeFileHandle directory, string name, uint mode, ulong device)
    {
        int rc;
        fixed (byte* p = Utf8z(name))
            rc = mknodat(Fd(directory), p, (mode_t)mode, (dev_t)device);
        return rc == 0 || Exists(LastErrno, $"mknodat `{name}`");
    }

    /// <summary>unlinkat(2); with <paramref name="directory"/> set, removes an empty directory (AT_REMOVEDIR).</summary>
    public static void UnlinkAt(SafeFileHandle parent, string name, bool directory)
    {
        fixed (byte* p = Utf8z(name))
            Check(unlinkat(Fd(parent), p, directory ? AT_REMOVEDIR : 0), $"unlinkat `{name}`");
    }

    public static void ChownAt(SafeFileHandle directory, string name, uint uid, uint gid)
    {
        fixed (byte* p = Utf8z(name))
            Check(fchownat(Fd(directory), p, uid, gid, AT_SYMLINK_NOFOLLOW), $"fchownat `{name}`");
    }

    /// <summary>fchmodat(2) with AT_SYMLINK_NOFOLLOW (glibc does it through O_PATH; a symlink fails with EOPNOTSUPP).</summary>
    public static void ChmodAt(SafeFileHandle directory, string name, uint mode)
    {
        fixed (byte* p = Utf8z(name))
            Check(fchmodat(Fd(directory), p, (mode_t)mode, AT_SYMLINK_NOFOLLOW), $"fchmodat `{name}`");
    }

    /// <summary>Sets the access and modification times of <paramref name="name"/> itself, never of a symlink's target.</summary>
    public static void SetTimesAt(SafeFileHandle directory, string name, DateTimeOffset mtime)
    {
        var times = stackalloc timespec[2];
        times[0] = ToTimespec(mtime);
        times[1] = times[0];
        fixed (byte* p = Utf8z(name))
            Check(utimensat(Fd(directory), p, times, AT_SYMLINK_NOFOLLOW), $"utimensat `{name}`");
    }

    /// <summary>fstatfs(2): the filesystem's magic number and whether it is mounted read-only (ST_RDONLY).</summary>
    public static (long Type, bool ReadOnly) StatFs(SafeFileHandle handle)
    {
        long* words = stackalloc long[Libc.StatFsWords];
        Check(Libc.fstatfs(Fd(handle), words), "fstatfs");
        return (words[0], (words[10] & ST_RDONLY) != 0);
    }

    /// <summary>The value of an extended attribute of an open file (not O_PATH), or null when it does not have it.</summary>
    public static byte[]? GetXattr(SafeFileHandle handle, string name)
    {
        var buffer = new byte[256];
        fixed (byte* b = buffer)
        {
            nint n = Libc.fgetxattr(Fd(handle), name, b, (nuint)buffer.Length);
            if (n >= 0)
                return buffer.AsSpan(0, (int)n).ToArray();
        }
        int errno = LastErrno;
        return errno is Errno.ENODATA or Errno.EOPNOTSUPP ? null : throw new SyscallException($"fgetxattr `{name}`", errno);
    }

    private static timespec ToTimespec(DateTimeOffset time)
    {
        long ns = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        long seconds = Math.DivRem(ns, 1_000_000_000L, out long rem);
        if (rem < 0)
        {
            seconds--;
            rem += 1_000_000_000L;
        }
        return new timespec { tv_sec = (time_t)seconds, tv_nsec = (long_t)rem };
    }
}
