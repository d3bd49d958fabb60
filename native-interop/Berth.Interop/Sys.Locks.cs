using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>Opens (creating it, mode 0644) a lock file for <see cref="TryLockExclusive"/>.</summary>
    public static SafeFileHandle OpenLockFile(string path)
    {
        int fd;
        fixed (byte* p = Utf8z(path))
            fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, (mode_t)0x1a4);
        Check(fd, $"open `{path}`");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// A write lock on the whole file (fcntl F_OFD_SETLK): true when taken, false when another open file holds it.
    /// Like flock it belongs to the open file and goes away with it (even at kill -9); unlike flock it does not
    /// conflict with the flock that .NET's FileStream takes to emulate FileShare, so others can still read the file.
    /// </summary>
    public static bool TryLockExclusive(SafeFileHandle fd, string path)
    {
        var request = new Libc.flock_t { l_type = Libc.F_WRLCK, l_whence = 0, l_start = 0, l_len = 0 };
        while (true)
        {
            if (Libc.fcntl_lock((int)fd.DangerousGetHandle(), Libc.F_OFD_SETLK, &request) == 0)
                return true;
            int errno = LastErrno;
            if (errno == EAGAIN || errno == EACCES)
                return false;
            if (errno != EINTR)
                throw new SyscallException($"fcntl F_OFD_SETLK `{path}`", errno);
        }
    }

    /// <summary>Replaces the whole content of a file opened for writing (ftruncate, then pwrite at 0).</summary>
    public static void Rewrite(SafeFileHandle fd, ReadOnlySpan<byte> content, string path)
    {
        Check(ftruncate((int)fd.DangerousGetHandle(), 0), $"ftruncate `{path}`");
        RandomAccess.Write(fd, content, 0);
    }
}
