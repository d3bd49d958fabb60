using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

/// <summary>
/// Calls for the control files and directories of kernel pseudo filesystems (cgroupfs, procfs, sysfs),
/// where the errno of each step matters: EEXIST and ENOENT are often fine, EBUSY means "retry".
/// </summary>
public static unsafe partial class Sys
{
    /// <summary>
    /// Writes <paramref name="value"/> to an existing file with a single write(2), opened
    /// O_WRONLY|O_TRUNC without O_CREAT, which is how a kernel control file is set.
    /// Errors read "write `value` to `path`: strerror".
    /// </summary>
    public static void WriteControlFile(string path, string value)
    {
        string operation = $"write `{value}` to `{path}`";
        int fd;
        fixed (byte* p = Utf8z(path))
        {
            do
                fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC, 0);
            while (fd == -1 && LastErrno == Errno.EINTR);
        }
        Check(fd, operation);
        try
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            long written;
            fixed (byte* b = bytes)
            {
                do
                    written = write(fd, b, bytes.Length);
                while (written == -1 && LastErrno == Errno.EINTR);
            }
            if (written == -1)
                throw SyscallException.FromLastError(operation);
            if (written != bytes.Length)
                throw new SyscallException($"{operation} (wrote {written} of {bytes.Length} bytes)", Errno.EIO);
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>mkdir(2); returns false when <paramref name="path"/> already exists (EEXIST).</summary>
    public static bool MakeDirectory(string path, uint mode)
    {
        fixed (byte* p = Utf8z(path))
        {
            if (mkdir(p, (mode_t)mode) == 0)
                return true;
        }
        int errno = LastErrno;
        if (errno == Errno.EEXIST)
            return false;
        throw new SyscallException($"mkdir `{path}`", errno);
    }

    /// <summary>rmdir(2); returns false when <paramref name="path"/> does not exist (ENOENT). Other errors, EBUSY among them, throw.</summary>
    public static bool RemoveDirectory(string path)
    {
        fixed (byte* p = Utf8z(path))
        {
            if (rmdir(p) == 0)
                return true;
        }
        int errno = LastErrno;
        if (errno == Errno.ENOENT)
            return false;
        throw new SyscallException($"rmdir `{path}`", errno);
    }
}
