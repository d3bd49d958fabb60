using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>
    /// Loads a BPF_PROG_TYPE_CGROUP_DEVICE program. The verifier gives up with EAGAIN when a signal is pending, which
    /// the .NET runtime's thread suspension can cause, so that is retried as libbpf does; when the verifier refuses the
    /// program, it is loaded once more with a log, whose text goes into the error.
    /// </summary>
    public static SafeFileHandle LoadDeviceProgram(ReadOnlySpan<ulong> instructions)
    {
        int fd = -1, errno = 0;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            fd = LoadDeviceProgram(instructions, null);
            errno = fd == -1 ? LastErrno : 0;
            if (fd != -1 || (errno != Errno.EAGAIN && errno != Errno.EINTR))
                break;
        }
        if (fd != -1)
            return new SafeFileHandle(fd, ownsHandle: true);
        var log = new byte[64 * 1024];
        if (LoadDeviceProgram(instructions, log) is int logged and not -1)
            return new SafeFileHandle(logged, ownsHandle: true);
        string verifier = Encoding.UTF8.GetString(log).TrimEnd('\0').Trim();
        throw new SyscallException($"bpf BPF_PROG_LOAD (cgroup device filter){(verifier.Length > 0 ? ": " + verifier : "")}", errno);
    }

    private static int LoadDeviceProgram(ReadOnlySpan<ulong> instructions, byte[]? log)
    {
        byte[] license = Utf8z("Apache-2.0");
        fixed (ulong* insns = instructions)
        fixed (byte* l = license)
        fixed (byte* logBuffer = log)
        {
            var attr = new Libc.BpfProgLoadAttr
            {
                ProgType = Libc.BPF_PROG_TYPE_CGROUP_DEVICE,
                InsnCount = (uint)instructions.Length,
                Insns = (ulong)insns,
                License = (ulong)l,
                LogLevel = log is null ? 0u : 1u,
                LogSize = (uint)(log?.Length ?? 0),
                LogBuffer = (ulong)logBuffer,
            };
            return Libc.bpf(Libc.BPF_PROG_LOAD, &attr, (uint)sizeof(Libc.BpfProgLoadAttr));
        }
    }

    /// <summary>Attaches a device program to the cgroup directory <paramref name="cgroup"/> (BPF_F_ALLOW_MULTI, as runc does).</summary>
    public static void AttachDeviceProgram(SafeFileHandle program, string cgroup)
    {
        int directory;
        fixed (byte* path = Utf8z(cgroup))
            directory = Tmds.Linux.LibC.open(path, Tmds.Linux.LibC.O_RDONLY | Tmds.Linux.LibC.O_DIRECTORY | Tmds.Linux.LibC.O_CLOEXEC, 0);
        Check(directory, $"open `{cgroup}`");
        using var handle = new SafeFileHandle(directory, ownsHandle: true);
        var attr = new Libc.BpfProgAttachAttr
        {
            TargetFd = (uint)directory,
            AttachBpfFd = (uint)program.DangerousGetHandle(),
            AttachType = Libc.BPF_CGROUP_DEVICE,
            AttachFlags = Libc.BPF_F_ALLOW_MULTI,
        };
        Check(Libc.bpf(Libc.BPF_PROG_ATTACH, &attr, (uint)sizeof(Libc.BpfProgAttachAttr)), $"bpf BPF_PROG_ATTACH to `{cgroup}`");
    }
}
