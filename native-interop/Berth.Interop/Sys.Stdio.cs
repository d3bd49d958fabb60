using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

/// <summary>
/// read(2) and write(2) on an inherited descriptor (a client's stdin, stdout, stderr). Unlike a FileStream they move
/// the descriptor's shared offset, so a client writing into a file after another process (<c>(berth ps; echo) &gt; f</c>)
/// appends instead of overwriting; EINTR is retried and a non-blocking descriptor is waited for with poll(2).
/// Errors are <see cref="SyscallException"/>s whose HResult is the errno (EPIPE = 32: the reader went away).
/// </summary>
public static unsafe partial class Sys
{
    /// <summary>read(2): the bytes read, 0 at end of file.</summary>
    public static int ReadDescriptor(int fd, Span<byte> buffer)
    {
        while (true)
        {
            ssize_t n;
            fixed (byte* b = buffer)
                n = read(fd, b, (size_t)buffer.Length);
            if (n >= 0)
                return (int)(long)n;
            int errno = LastErrno;
            if (errno == Errno.EINTR)
                continue;
            if (errno == Errno.EAGAIN)
            {
                WaitFor(fd, POLLIN);
                continue;
            }
            throw new SyscallException($"read fd {fd}", errno);
        }
    }

    /// <summary>write(2) until every byte is written.</summary>
    public static void WriteDescriptor(int fd, ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            ssize_t n;
            fixed (byte* b = buffer)
                n = write(fd, b, (size_t)buffer.Length);
            if (n >= 0)
            {
                buffer = buffer[(int)(long)n..];
                continue;
            }
            int errno = LastErrno;
            if (errno == Errno.EINTR)
                continue;
            if (errno == Errno.EAGAIN)
            {
                WaitFor(fd, POLLOUT);
                continue;
            }
            throw new SyscallException($"write fd {fd}", errno);
        }
    }

    private static void WaitFor(int fd, short events)
    {
        var poll = new pollfd { fd = fd, events = events };
        while (LibC.poll(&poll, 1, -1) == -1 && LastErrno == Errno.EINTR)
        {
        }
    }
}
