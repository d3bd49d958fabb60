using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    // Bound here with SetLastError: the sync socket's waits must tell EINTR from a failure. In a process that has a
    // SIGCHLD handler (the .NET runtime installs one once System.Diagnostics.Process is used, as in the test host),
    // berth-launcher's exit right after its Pid interrupts berthd's poll; through Tmds.LibC's binding the error read
    // back as 0 ("poll on the sync socket: Success") and every start failed (Integration.Tests, 2026-12-05).
    [LibraryImport(Name, EntryPoint = "poll", SetLastError = true)]
    public static partial int poll(pollfd* fds, nuint nfds, int timeout);

    [LibraryImport(Name, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint recvmsg(int socket, msghdr* message, int flags);

    [LibraryImport(Name, EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint sendmsg(int socket, msghdr* message, int flags);
}
