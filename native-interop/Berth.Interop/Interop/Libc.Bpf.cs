using System.Runtime.InteropServices;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    public const long SYS_bpf = 321;

    public const int BPF_PROG_LOAD = 5;
    public const int BPF_PROG_ATTACH = 8;
    public const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public const uint BPF_CGROUP_DEVICE = 6;
    public const uint BPF_F_ALLOW_MULTI = 2;

    /// <summary>The BPF_PROG_LOAD part of union bpf_attr.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    public struct BpfProgLoadAttr
    {
        [FieldOffset(0)] public uint ProgType;
        [FieldOffset(4)] public uint InsnCount;
        [FieldOffset(8)] public ulong Insns;
        [FieldOffset(16)] public ulong License;
        [FieldOffset(24)] public uint LogLevel;
        [FieldOffset(28)] public uint LogSize;
        [FieldOffset(32)] public ulong LogBuffer;
    }

    /// <summary>The BPF_PROG_ATTACH part of union bpf_attr.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    public struct BpfProgAttachAttr
    {
        [FieldOffset(0)] public uint TargetFd;
        [FieldOffset(4)] public uint AttachBpfFd;
        [FieldOffset(8)] public uint AttachType;
        [FieldOffset(12)] public uint AttachFlags;
    }

    public static int bpf(int command, void* attr, uint size) => (int)syscall(SYS_bpf, command, (long)attr, size, 0, 0);
}
