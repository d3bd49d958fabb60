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
    public static void SendMessage(int socket, ReadOnlySpan<byte> data, int fd = -1)
    {
        int controlLength = fd >= 0 ? (int)CMSG_SPACE(sizeof(int)) : 0;
        byte* control = stackalloc byte[(int)CMSG_SPACE(sizeof(int))];
        fixed (byte* p = data)
        {
            var iov = new iovec { iov_base = p, iov_len = data.Length };
            var message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = fd >= 0 ? control : null, msg_controllen = controlLength };
            if (fd >= 0)
            {
                new Span<byte>(control, controlLength).Clear();
                cmsghdr* header = CMSG_FIRSTHDR(&message);
                header->cmsg_level = SOL_SOCKET;
                header->cmsg_type = SCM_RIGHTS;
                header->cmsg_len = CMSG_LEN(sizeof(int));
                *(int*)CMSG_DATA(header) = fd;
            }
            nint sent;
            do
                sent = Libc.sendmsg(socket, &message, MSG_NOSIGNAL);
            while (sent < 0 && LastErrno == EINTR);
            if (sent < 0)
                throw SyscallException.FromLastError("sendmsg on the sync socket");
        }
    }

    /// <summary>
    /// Receives one datagram within <paramref name="timeoutMs"/> (poll, then recvmsg). Returns its length, 0 at end of
    /// stream, -1 on timeout; <paramref name="fd"/> is the SCM_RIGHTS descriptor it carried (O_CLOEXEC) or null.
    /// </summary>
    public static int ReceiveMessage(SafeFileHandle socket, Span<byte> buffer, int timeoutMs, out SafeFileHandle? fd)
    {
        fd = null;
        int raw = (int)socket.DangerousGetHandle();
        var waiter = new pollfd { fd = raw, events = (short)POLLIN };
        long deadline = Environment.TickCount64 + timeoutMs;
        int ready;
        while ((ready = Libc.poll(&waiter, 1, timeoutMs)) < 0 && LastErrno == EINTR)
        {
            // A signal (SIGCHLD, the runtime's own) is not the end of the wait: poll again for what is left of it.
            if (timeoutMs >= 0)
                timeoutMs = (int)Math.Max(0, deadline - Environment.TickCount64);
        }
        if (ready < 0)
            throw SyscallException.FromLastError("poll on the sync socket");
        if (ready == 0)
            return -1;
        int controlLength = (int)CMSG_SPACE(sizeof(int));
        byte* control = stackalloc byte[controlLength];
        nint received;
        fixed (byte* p = buffer)
        {
            var iov = new iovec { iov_base = p, iov_len = buffer.Length };
            var message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = controlLength };
            do
                received = Libc.recvmsg(raw, &message, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
            while (received < 0 && LastErrno == EINTR);
            if (received < 0 && LastErrno == ECONNRESET)
                return 0;
            if (received < 0)
                throw SyscallException.FromLastError("recvmsg on the sync socket");
            cmsghdr* header = CMSG_FIRSTHDR(&message);
            if (header is not null && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS)
                fd = new SafeFileHandle(*(int*)CMSG_DATA(header), ownsHandle: true);
        }
        return (int)received;
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
