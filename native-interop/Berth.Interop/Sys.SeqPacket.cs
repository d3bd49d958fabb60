using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>The most descriptors one <see cref="SendFds"/> or <see cref="ReceiveFds"/> carries.</summary>
    public const int MaxPassedFds = 8;

    /// <summary>Connects an AF_UNIX SOCK_SEQPACKET socket (O_CLOEXEC) to <paramref name="path"/>; null when nothing listens there (ENOENT, ECONNREFUSED).</summary>
    public static SafeFileHandle? ConnectSeqPacket(string path)
    {
        byte[] name = System.Text.Encoding.UTF8.GetBytes(path);
        var address = new sockaddr_un { sun_family = AF_UNIX };
        if (name.Length >= 108)
            throw new ArgumentException($"socket path `{path}` is longer than 107 bytes", nameof(path));
        name.CopyTo(new Span<byte>(address.sun_path, 108));
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        Check(fd, "socket SOCK_SEQPACKET");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        int rc;
        do
            rc = connect(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_un));
        while (rc < 0 && errno == EINTR);
        if (rc == 0)
            return handle;
        int error = errno;
        handle.Dispose();
        if (error == ENOENT || error == ECONNREFUSED)
            return null;
        throw new SyscallException($"connect `{path}`", error);
    }

    /// <summary>Sends one datagram with <paramref name="fds"/> as SCM_RIGHTS. Throws when the peer has gone (EPIPE).</summary>
    public static void SendFds(SafeFileHandle socket, ReadOnlySpan<byte> data, ReadOnlySpan<int> fds) =>
        Send((int)socket.DangerousGetHandle(), data, fds, "sendmsg");

    /// <summary>
    /// Receives one datagram within <paramref name="timeoutMs"/>: its length, 0 at end of stream, -1 on timeout; the
    /// SCM_RIGHTS descriptors it carried (O_CLOEXEC) are added to <paramref name="fds"/>.
    /// </summary>
    public static int ReceiveFds(SafeFileHandle socket, Span<byte> buffer, int timeoutMs, List<SafeFileHandle> fds) =>
        Receive((int)socket.DangerousGetHandle(), buffer, timeoutMs, fds, "");

    /// <summary>Waits until <paramref name="fd"/> is readable (a pidfd: its process has exited); false on timeout.</summary>
    public static bool WaitReadable(SafeFileHandle fd, int timeoutMs) => PollIn((int)fd.DangerousGetHandle(), timeoutMs, "poll");

    /// <summary>sendmsg of one datagram with up to <see cref="MaxPassedFds"/> descriptors; <paramref name="operation"/> names it in errors.</summary>
    private static void Send(int socket, ReadOnlySpan<byte> data, ReadOnlySpan<int> fds, string operation)
    {
        if (fds.Length > MaxPassedFds)
            throw new ArgumentException($"at most {MaxPassedFds} descriptors per message", nameof(fds));
        int controlLength = fds.Length > 0 ? (int)CMSG_SPACE(sizeof(int) * fds.Length) : 0;
        byte* control = stackalloc byte[(int)CMSG_SPACE(sizeof(int) * MaxPassedFds)];
        fixed (byte* p = data)
        {
            var iov = new iovec { iov_base = p, iov_len = data.Length };
            var message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = fds.Length > 0 ? control : null, msg_controllen = controlLength };
            if (fds.Length > 0)
            {
                new Span<byte>(control, controlLength).Clear();
                cmsghdr* header = CMSG_FIRSTHDR(&message);
                header->cmsg_level = SOL_SOCKET;
                header->cmsg_type = SCM_RIGHTS;
                header->cmsg_len = CMSG_LEN(sizeof(int) * fds.Length);
                fds.CopyTo(new Span<int>(CMSG_DATA(header), fds.Length));
            }
            nint sent;
            do
                sent = Libc.sendmsg(socket, &message, MSG_NOSIGNAL);
            while (sent < 0 && LastErrno == EINTR);
            if (sent < 0)
                throw SyscallException.FromLastError(operation);
        }
    }

    /// <summary>poll then recvmsg of one datagram; <paramref name="where"/> is appended to the calls' names in errors.</summary>
    private static int Receive(int socket, Span<byte> buffer, int timeoutMs, List<SafeFileHandle> fds, string where)
    {
        if (!PollIn(socket, timeoutMs, "poll" + where))
            return -1;
        int controlLength = (int)CMSG_SPACE(sizeof(int) * MaxPassedFds);
        byte* control = stackalloc byte[controlLength];
        nint received;
        fixed (byte* p = buffer)
        {
            var iov = new iovec { iov_base = p, iov_len = buffer.Length };
            var message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = controlLength };
            do
                received = Libc.recvmsg(socket, &message, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
            while (received < 0 && LastErrno == EINTR);
            if (received < 0 && LastErrno == ECONNRESET)
                return 0;
            if (received < 0)
                throw SyscallException.FromLastError("recvmsg" + where);
            // One SCM_RIGHTS header: the peers (berth-keeper, berthd, berth-init) never send more than one per datagram.
            cmsghdr* header = CMSG_FIRSTHDR(&message);
            if (header is not null && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS)
            {
                int count = (int)(((long)(ulong)header->cmsg_len - (long)(ulong)CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < count; i++)
                    fds.Add(new SafeFileHandle(((int*)CMSG_DATA(header))[i], ownsHandle: true));
            }
        }
        return (int)received;
    }

    /// <summary>
    /// Waits until <paramref name="fd"/> is readable within <paramref name="timeoutMs"/> (-1: no limit). A signal
    /// (SIGCHLD, the runtime's own) is not the end of the wait: poll again for what is left of it.
    /// </summary>
    private static bool PollIn(int fd, int timeoutMs, string operation)
    {
        var waiter = new pollfd { fd = fd, events = (short)POLLIN };
        long deadline = Environment.TickCount64 + timeoutMs;
        int ready;
        while ((ready = Libc.poll(&waiter, 1, timeoutMs)) < 0 && LastErrno == EINTR)
        {
            if (timeoutMs >= 0)
                timeoutMs = (int)Math.Max(0, deadline - Environment.TickCount64);
        }
        if (ready < 0)
            throw SyscallException.FromLastError(operation);
        return ready > 0;
    }
}
