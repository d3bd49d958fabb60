using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>
    /// Opens (creating it, mode 0644) a lock file with open(2) itself: .NET's FileStream takes its own flock for
    /// FileShare emulation, which would fight with the caller's <see cref="TryLockExclusive"/>.
    /// </summary>
    public static SafeFileHandle OpenLockFile(string path)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, (mode_t)0x1a4);
        Check(fd, $"open `{path}`");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>flock(LOCK_EX|LOCK_NB): true when taken, false when another open file holds it.</summary>
    public static bool TryLockExclusive(SafeFileHandle fd, string path)
    {
        while (true)
        {
            if (Libc.flock((int)fd.DangerousGetHandle(), Libc.LOCK_EX | Libc.LOCK_NB) == 0)
                return true;
            int errno = LastErrno;
            if (errno == EWOULDBLOCK)
                return false;
            if (errno != EINTR)
                throw new SyscallException($"flock `{path}` LOCK_EX", errno);
        }
    }

    /// <summary>Replaces the whole content of a file opened for writing (ftruncate, then pwrite at 0).</summary>
    public static void Rewrite(SafeFileHandle fd, ReadOnlySpan<byte> content, string path)
    {
        Check(ftruncate((int)fd.DangerousGetHandle(), 0), $"ftruncate `{path}`");
        RandomAccess.Write(fd, content, 0);
    }
}
