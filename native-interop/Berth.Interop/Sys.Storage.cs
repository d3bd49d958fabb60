using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

/// <summary>Durability and atomic replacement for state files and store directories.</summary>
public static unsafe partial class Sys
{
    public static void Fsync(SafeFileHandle handle, string path)
    {
        int rc;
        do
            rc = fsync((int)handle.DangerousGetHandle());
        while (rc == -1 && LastErrno == Errno.EINTR);
        Check(rc, $"fsync `{path}`");
    }

    /// <summary>fsync(2) on a directory, so that renames and unlinks in it are durable.</summary>
    public static void FsyncDirectory(string path)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        Check(fd, $"open `{path}`");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Fsync(handle, path);
    }

    /// <summary>rename(2): atomically replaces <paramref name="newPath"/> if it is a file or an empty directory.</summary>
    public static void Rename(string oldPath, string newPath)
    {
        fixed (byte* o = Utf8z(oldPath))
        fixed (byte* n = Utf8z(newPath))
            Check(Libc.rename(o, n), $"rename `{oldPath}` to `{newPath}`");
    }

    /// <summary>
    /// Moves <paramref name="oldPath"/> to <paramref name="newPath"/> unless something is already there
    /// (renameat2 RENAME_NOREPLACE); returns false in that case (EEXIST, or ENOTEMPTY for a directory).
    /// </summary>
    public static bool TryRenameNoReplace(string oldPath, string newPath)
    {
        int rc;
        fixed (byte* o = Utf8z(oldPath))
        fixed (byte* n = Utf8z(newPath))
            rc = Libc.renameat2(AT_FDCWD, o, AT_FDCWD, n, Libc.RENAME_NOREPLACE);
        if (rc == 0)
            return true;
        int errno = LastErrno;
        if (errno is Errno.EEXIST or Errno.ENOTEMPTY)
            return false;
        throw new SyscallException($"rename `{oldPath}` to `{newPath}`", errno);
    }
}
