using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>A connected pair of AF_UNIX stream sockets, both O_CLOEXEC.</summary>
    public static (SafeFileHandle A, SafeFileHandle B) SocketPair()
    {
        int* fds = stackalloc int[2];
        Check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), "socketpair");
        return (new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }

    /// <summary>Sends one file descriptor (SCM_RIGHTS) with a one-byte message over a Unix socket.</summary>
    public static void SendFd(int socket, int fd)
    {
        byte data = (byte)'F';
        var iov = new iovec { iov_base = &data, iov_len = 1 };
        int controlLength = (int)CMSG_SPACE(sizeof(int));
        byte* control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        var message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = controlLength };
        cmsghdr* header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        *(int*)CMSG_DATA(header) = fd;
        ssize_t sent;
        do
            sent = sendmsg(socket, &message, MSG_NOSIGNAL);
        while (sent < 0 && errno == EINTR);
        if (sent < 0)
            throw SyscallException.FromLastError("sendmsg SCM_RIGHTS");
    }

    /// <summary>Receives one file descriptor sent with <see cref="SendFd"/>; null when the peer closed without sending one.</summary>
    public static SafeFileHandle? ReceiveFd(SafeFileHandle socket)
    {
        byte data;
        var iov = new iovec { iov_base = &data, iov_len = 1 };
        int controlLength = (int)CMSG_SPACE(sizeof(int));
        byte* control = stackalloc byte[controlLength];
        var message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = controlLength };
        ssize_t received;
        do
            received = recvmsg((int)socket.DangerousGetHandle(), &message, MSG_CMSG_CLOEXEC);
        while (received < 0 && errno == EINTR);
        if (received < 0)
            throw SyscallException.FromLastError("recvmsg SCM_RIGHTS");
        cmsghdr* header = CMSG_FIRSTHDR(&message);
        if (received == 0 || header is null || header->cmsg_type != SCM_RIGHTS)
            return null;
        return new SafeFileHandle(*(int*)CMSG_DATA(header), ownsHandle: true);
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
