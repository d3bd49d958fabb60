using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>A connected pair of AF_UNIX SOCK_SEQPACKET sockets (message boundaries kept), both O_CLOEXEC.</summary>
    public static (SafeFileHandle A, SafeFileHandle B) SeqPacketPair()
    {
        int* fds = stackalloc int[2];
        Check(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), "socketpair SOCK_SEQPACKET");
        return (new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }

    /// <summary>Sends one datagram, with <paramref name="fd"/> as SCM_RIGHTS when it is not -1. Throws when the peer has gone (EPIPE).</summary>
    public static void SendMessage(int socket, ReadOnlySpan<byte> data, int fd = -1) =>
        Send(socket, data, fd >= 0 ? new ReadOnlySpan<int>(in fd) : default, "sendmsg on the sync socket");

    /// <summary>
    /// Receives one datagram within <paramref name="timeoutMs"/> (poll, then recvmsg). Returns its length, 0 at end of
    /// stream, -1 on timeout; <paramref name="fd"/> is the SCM_RIGHTS descriptor it carried (O_CLOEXEC) or null.
    /// </summary>
    public static int ReceiveMessage(SafeFileHandle socket, Span<byte> buffer, int timeoutMs, out SafeFileHandle? fd)
    {
        var fds = new List<SafeFileHandle>(1);
        int length = Receive((int)socket.DangerousGetHandle(), buffer, timeoutMs, fds, " on the sync socket");
        fd = fds.Count > 0 ? fds[0] : null;
        for (int i = 1; i < fds.Count; i++)
            fds[i].Dispose(); // the sync protocol passes one descriptor at most
        return length;
    }

    /// <summary>
    /// Writes all of <paramref name="data"/> to a pipe or terminal, blocking the calling thread while the reader is
    /// slow (also on a non-blocking fd, by polling). Returns false when the reader has gone (EPIPE, EIO).
    /// </summary>
    public static bool WriteAll(SafeFileHandle fd, ReadOnlySpan<byte> data)
    {
        int raw = (int)fd.DangerousGetHandle();
        while (!data.IsEmpty)
        {
            ssize_t n;
            fixed (byte* p = data)
                n = write(raw, p, (size_t)data.Length);
            if (n >= 0)
            {
                data = data[(int)(long)n..];
                continue;
            }
            int error = errno;
            if (error == EINTR)
                continue;
            if (error == EAGAIN)
            {
                var waiter = new pollfd { fd = raw, events = (short)POLLOUT };
                poll(&waiter, 1, 1000);
                continue;
            }
            if (error == EPIPE || error == EIO)
                return false;
            throw new SyscallException("write", error);
        }
        return true;
    }
}
