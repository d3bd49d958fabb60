using Microsoft.Win32.SafeHandles;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>
    /// Starts <paramref name="path"/> with posix_spawn. <paramref name="fds"/> maps each child fd (its index)
    /// to a parent fd; every other fd stays closed because .NET opens all of them O_CLOEXEC.
    /// Signal dispositions are reset to default and the mask emptied in the child.
    /// </summary>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, IReadOnlyList<int> fds)
    {
        var fileActions = stackalloc byte[Libc.PosixSpawnFileActionsSize];
        var attr = stackalloc byte[Libc.PosixSpawnAttrSize];
        var sigset = stackalloc byte[128];
        var strings = new List<nint>();
        try
        {
            CheckSpawn(Libc.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            CheckSpawn(Libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            for (int target = 0; target < fds.Count; target++)
                CheckSpawn(Libc.posix_spawn_file_actions_adddup2(fileActions, fds[target], target), "posix_spawn_file_actions_adddup2");
            CheckSpawn(Libc.posix_spawnattr_setflags(attr, Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
            Libc.sigfillset(sigset);
            CheckSpawn(Libc.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            Libc.sigemptyset(sigset);
            CheckSpawn(Libc.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");

            byte** argvPtr = ToNative(argv, strings);
            byte** envPtr = ToNative(envp, strings);
            int pid;
            fixed (byte* p = Utf8z(path))
            {
                int rc = Libc.posix_spawn(&pid, p, fileActions, attr, argvPtr, envPtr);
                if (rc != 0)
                    throw new SyscallException($"posix_spawn `{path}`", rc);
            }
            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(fileActions);
            Libc.posix_spawnattr_destroy(attr);
            foreach (nint s in strings)
                System.Runtime.InteropServices.NativeMemory.Free((void*)s);
        }
    }

    private static void CheckSpawn(int rc, string operation)
    {
        if (rc != 0)
            throw new SyscallException(operation, rc);
    }

    private static byte** ToNative(IReadOnlyList<string> values, List<nint> allocations)
    {
        var array = (byte**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        allocations.Add((nint)array);
        for (int i = 0; i < values.Count; i++)
        {
            byte[] bytes = Utf8z(values[i]);
            var s = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)bytes.Length);
            allocations.Add((nint)s);
            bytes.CopyTo(new Span<byte>(s, bytes.Length));
            array[i] = s;
        }
        array[values.Count] = null;
        return array;
    }

    /// <summary>Waits for <paramref name="pid"/> to exit and returns its wait status as an exit code (128+signal when killed).</summary>
    public static int WaitPid(int pid)
    {
        Libc.SigInfo info;
        int rc;
        do
            rc = Libc.waitid(Libc.P_PID, pid, &info, Libc.WEXITED);
        while (rc == -1 && LastErrno == Errno.EINTR);
        Check(rc, $"waitid {pid}");
        return ExitCodeOf(info);
    }

    /// <summary>
    /// Reaps the process behind <paramref name="pidfd"/> if it has exited. Returns false when it is still running.
    /// </summary>
    public static bool TryReapPidfd(SafeFileHandle pidfd, out int exitCode, out int signal)
    {
        Libc.SigInfo info = default;
        int rc;
        do
            rc = Libc.waitid(Libc.P_PIDFD, (int)pidfd.DangerousGetHandle(), &info, Libc.WEXITED | Libc.WNOHANG);
        while (rc == -1 && LastErrno == Errno.EINTR);
        Check(rc, "waitid pidfd");
        exitCode = ExitCodeOf(info);
        signal = info.Code is Libc.CLD_KILLED or Libc.CLD_DUMPED ? info.Status : 0;
        return info.Pid != 0;
    }

    private static int ExitCodeOf(in Libc.SigInfo info) =>
        info.Code == Libc.CLD_EXITED ? info.Status : 128 + info.Status;

    public static SafeFileHandle PidfdOpen(int pid)
    {
        int fd = Libc.pidfd_open(pid, 0);
        Check(fd, $"pidfd_open {pid}");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Sends a signal through a pidfd; returns false when the process has already exited (ESRCH) or its pidfd is closed.</summary>
    public static bool PidfdSendSignal(SafeFileHandle pidfd, int signal)
    {
        // A reference for the call: the fd number of a pidfd closed meanwhile could already name another process.
        bool referenced = false;
        try
        {
            pidfd.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            return false; // closed once the process was reaped: it does not exist any more
        }
        try
        {
            if (Libc.pidfd_send_signal((int)pidfd.DangerousGetHandle(), signal) == 0)
                return true;
            int errno = LastErrno;
            if (errno == Errno.ESRCH)
                return false;
            throw new SyscallException($"pidfd_send_signal {signal}", errno);
        }
        finally
        {
            if (referenced)
                pidfd.DangerousRelease();
        }
    }

    /// <summary>kill(2); returns false when the process does not exist.</summary>
    public static bool Kill(int pid, int signal)
    {
        if (Libc.kill(pid, signal) == 0)
            return true;
        int errno = LastErrno;
        if (errno == Errno.ESRCH)
            return false;
        throw new SyscallException($"kill {pid} {signal}", errno);
    }
}
