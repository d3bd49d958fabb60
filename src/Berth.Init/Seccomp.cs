using Berth.Interop;

namespace Berth.Init;

/// <summary>Installs the container's seccomp filter on this thread, which then execs the command (filters survive execve).</summary>
public static unsafe class Seccomp
{
    private const int PR_SET_SECCOMP = 22;
    private const int SECCOMP_MODE_FILTER = 2;

    private struct SockFprog
    {
        public ushort Length;
        public void* Filter;
    }

    /// <summary>Called while the thread still has CAP_SYS_ADMIN, so no_new_privs is not required (runc's order).</summary>
    public static void Apply(byte[]? filter)
    {
        if (filter is null || filter.Length == 0) // JSON carries "no filter" as an empty array
            return;
        fixed (byte* instructions = filter)
        {
            var program = new SockFprog { Length = (ushort)(filter.Length / 8), Filter = instructions };
            if (Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (ulong)&program, 0, 0) == -1)
                throw SyscallException.FromLastError("prctl PR_SET_SECCOMP");
        }
    }
}
