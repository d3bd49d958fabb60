using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>Loads a BPF_PROG_TYPE_CGROUP_DEVICE program; the verifier's log is in the error when it refuses it.</summary>
    public static SafeFileHandle LoadDeviceProgram(ReadOnlySpan<ulong> instructions)
    {
        byte[] license = Utf8z("Apache-2.0");
        var log = new byte[64 * 1024];
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
                LogLevel = 1,
                LogSize = (uint)log.Length,
                LogBuffer = (ulong)logBuffer,
            };
            int fd = Libc.bpf(Libc.BPF_PROG_LOAD, &attr, (uint)sizeof(Libc.BpfProgLoadAttr));
            if (fd == -1)
            {
                int errno = LastErrno;
                string verifier = Encoding.UTF8.GetString(log).TrimEnd('\0').Trim();
                throw new SyscallException($"bpf BPF_PROG_LOAD (cgroup device filter){(verifier.Length > 0 ? ": " + verifier : "")}", errno);
            }
            return new SafeFileHandle(fd, ownsHandle: true);
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
