using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>A pipe whose both ends are O_CLOEXEC.</summary>
    public static (SafeFileHandle Read, SafeFileHandle Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Check(pipe2(fds, O_CLOEXEC), "pipe2");
        return (new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }

    /// <summary>An anonymous in-memory file (memfd_create, O_CLOEXEC) holding <paramref name="content"/>, positioned at 0.</summary>
    public static SafeFileHandle MemoryFile(string name, ReadOnlySpan<byte> content)
    {
        int fd;
        fixed (byte* n = Utf8z(name))
            fd = memfd_create(n, MFD_CLOEXEC);
        Check(fd, "memfd_create");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        RandomAccess.Write(handle, content, 0);
        return handle;
    }

    /// <summary>Sets FD_CLOEXEC on an fd this process inherited (systemd's sockets), so no child inherits it in turn.</summary>
    public static void SetCloseOnExec(int fd)
    {
        int flags = fcntl(fd, F_GETFD);
        Check(flags, $"fcntl F_GETFD {fd}");
        Check(fcntl(fd, F_SETFD, flags | FD_CLOEXEC), $"fcntl F_SETFD {fd}");
    }

    public static void SetNonBlocking(SafeFileHandle fd)
    {
        int raw = (int)fd.DangerousGetHandle();
        int flags = fcntl(raw, F_GETFL);
        Check(flags, "fcntl F_GETFL");
        Check(fcntl(raw, F_SETFL, flags | O_NONBLOCK), "fcntl F_SETFL");
    }

    /// <summary>read(2) on a non-blocking fd: bytes read, 0 at end of file, -1 when nothing is available now (EAGAIN).</summary>
    public static int ReadNonBlocking(SafeFileHandle fd, Span<byte> buffer)
    {
        while (true)
        {
            ssize_t n;
            fixed (byte* b = buffer)
                n = read((int)fd.DangerousGetHandle(), b, (size_t)buffer.Length);
            if (n >= 0)
                return (int)(long)n;
            int errno = LastErrno;
            if (errno == Errno.EINTR)
                continue;
            if (errno == Errno.EAGAIN)
                return -1;
            if (errno == Errno.EIO) // a pty master reads EIO once the slave side is closed
                return 0;
            throw new SyscallException("read", errno);
        }
    }
}
