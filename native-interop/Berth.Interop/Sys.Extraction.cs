using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

/// <summary>
/// Wrappers for unpacking image layers. Paths are used as given; callers make sure no component
/// of them is a symlink they did not mean to follow. The "Try" forms return false on EEXIST only.
/// </summary>
public static unsafe partial class Sys
{
    public static uint Geteuid() => geteuid();

    /// <summary>lstat(2); false when the path does not exist (ENOENT or ENOTDIR).</summary>
    public static bool TryLstat(string path, out FileStat status)
    {
        stat st;
        int rc;
        fixed (byte* p = Utf8z(path))
            rc = lstat(p, &st);
        if (rc == 0)
        {
            status = new FileStat((uint)st.st_mode, (uint)st.st_uid, (uint)st.st_gid, (long)st.st_size, (ulong)st.st_ino, (ulong)st.st_nlink, (ulong)st.st_rdev,
                (ulong)st.st_dev, (long)st.st_mtim.tv_sec * 1_000_000_000L + (long)st.st_mtim.tv_nsec);
            return true;
        }
        status = default;
        int errno = LastErrno;
        if (errno is Errno.ENOENT or Errno.ENOTDIR)
            return false;
        throw new SyscallException($"lstat `{path}`", errno);
    }

    public static FileStat Lstat(string path) =>
        TryLstat(path, out var status) ? status : throw new SyscallException($"lstat `{path}`", Errno.ENOENT);

    /// <summary>Creates a new regular file for writing (O_CREAT|O_EXCL|O_NOFOLLOW): never opens or follows what is there.</summary>
    public static bool TryCreateExclusive(string path, uint mode, out SafeFileHandle handle)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
        handle = fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : new SafeFileHandle();
        return fd >= 0 || Exists(LastErrno, $"open `{path}`");
    }

    public static bool TryMkdir(string path, uint mode)
    {
        int rc;
        fixed (byte* p = Utf8z(path))
            rc = mkdir(p, (mode_t)mode);
        return rc == 0 || Exists(LastErrno, $"mkdir `{path}`");
    }

    public static bool TrySymlink(string target, string path)
    {
        int rc;
        fixed (byte* t = Utf8z(target))
        fixed (byte* p = Utf8z(path))
            rc = symlink(t, p);
        return rc == 0 || Exists(LastErrno, $"symlink `{path}` -> `{target}`");
    }

    /// <summary>link(2) without following a final symlink of <paramref name="existing"/>.</summary>
    public static bool TryLink(string existing, string newPath)
    {
        int rc;
        fixed (byte* e = Utf8z(existing))
        fixed (byte* n = Utf8z(newPath))
            rc = linkat(AT_FDCWD, e, AT_FDCWD, n, 0);
        return rc == 0 || Exists(LastErrno, $"link `{newPath}` to `{existing}`");
    }

    public static bool TryMknod(string path, uint mode, ulong dev)
    {
        int rc;
        fixed (byte* p = Utf8z(path))
            rc = mknod(p, (mode_t)mode, (dev_t)dev);
        return rc == 0 || Exists(LastErrno, $"mknod `{path}`");
    }

    public static void Unlink(string path)
    {
        fixed (byte* p = Utf8z(path))
            Check(unlink(p), $"unlink `{path}`");
    }

    public static void Chmod(string path, uint mode)
    {
        fixed (byte* p = Utf8z(path))
            Check(chmod(p, (mode_t)mode), $"chmod `{path}`");
    }

    public static void Fchown(SafeFileHandle handle, uint uid, uint gid, string path) =>
        Check(fchown(Fd(handle), uid, gid), $"fchown `{path}`");

    public static void Fchmod(SafeFileHandle handle, uint mode, string path) =>
        Check(fchmod(Fd(handle), (mode_t)mode), $"fchmod `{path}`");

    public static void Futimens(SafeFileHandle handle, DateTimeOffset mtime, string path)
    {
        var times = stackalloc timespec[2];
        times[0] = ToTimespec(mtime);
        times[1] = times[0];
        Check(futimens(Fd(handle), times), $"futimens `{path}`");
    }

    /// <summary>An O_PATH handle on a directory, to resolve paths beneath it with <see cref="OpenDirectoryBeneath"/>.</summary>
    public static SafeFileHandle OpenDirectoryPath(string path)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        Check(fd, $"open `{path}`");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens directory <paramref name="relative"/> under <paramref name="directory"/> for fchmod and futimens,
    /// with openat2 RESOLVE_BENEATH and RESOLVE_NO_SYMLINKS: it fails (EXDEV, ELOOP, ENOTDIR) rather than
    /// leave <paramref name="directory"/>, follow any symlink or open something that is not a directory.
    /// </summary>
    public static SafeFileHandle OpenDirectoryBeneath(SafeFileHandle directory, string relative, string description)
    {
        var how = new open_how { flags = (ulong)(O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
        int fd;
        fixed (byte* p = Utf8z(relative.Length == 0 ? "." : relative))
        {
            do
                fd = (int)Libc.syscall(Libc.SYS_openat2, Fd(directory), (long)p, (long)&how, sizeof(open_how), 0);
            while (fd == -1 && LastErrno == Errno.EINTR);
        }
        Check(fd, $"open `{description}`");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    private static bool Exists(int errno, string operation) =>
        errno == Errno.EEXIST ? false : throw new SyscallException(operation, errno);
}
