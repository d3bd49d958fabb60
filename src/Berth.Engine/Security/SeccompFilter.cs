using System.Buffers.Binary;

namespace Berth.Engine.Security;

/// <summary>
/// Compiles a seccomp blocklist into a classic BPF program (struct sock_filter[]: u16 code, u8 jt, u8 jf, u32 k)
/// for PR_SET_SECCOMP / SECCOMP_MODE_FILTER. Both x86-64 and i386 (int 0x80) calls are filtered, each with its own
/// numbers, so a 32-bit program cannot go around the list; x32 calls and other architectures are refused.
/// Written by hand: a blocklist is a linear run of comparisons, and no .NET library builds seccomp programs.
/// </summary>
public static class SeccompFilter
{
    private const uint AuditArchX86_64 = 0xC000003E, AuditArchI386 = 0x40000003;
    private const uint X32Bit = 0x40000000;
    private const uint RetAllow = 0x7FFF0000, RetErrno = 0x00050000, RetKillProcess = 0x80000000;
    private const uint Eperm = 1, Enosys = 38;

    // seccomp_data: int nr (0); u32 arch (4); u64 instruction_pointer (8); u64 args[6] (16).
    private const uint OffsetNr = 0, OffsetArch = 4, OffsetArg0Low = 16;

    private const ushort LdAbsW = 0x20;  // BPF_LD | BPF_W | BPF_ABS
    private const ushort JeqK = 0x15;    // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort JgeK = 0x35;    // BPF_JMP | BPF_JGE | BPF_K
    private const ushort JsetK = 0x45;   // BPF_JMP | BPF_JSET | BPF_K
    private const ushort RetK = 0x06;    // BPF_RET | BPF_K

    public static byte[] Compile(IReadOnlyList<SeccompSyscall> blocked, bool restrictClone)
    {
        var program = new List<(ushort Code, byte Jt, byte Jf, uint K)>();
        var x86_64 = Section(blocked.Select(s => s.X86_64), restrictClone, SeccompProfile.CloneX86_64, rejectX32: true);
        var i386 = Section(blocked.Select(s => s.I386), restrictClone, SeccompProfile.CloneI386, rejectX32: false);

        program.Add((LdAbsW, 0, 0, OffsetArch));
        program.Add((JeqK, 0, (byte)(x86_64.Count), AuditArchX86_64)); // x86-64: fall into its section, else skip it
        program.AddRange(x86_64);
        program.Add((JeqK, 0, (byte)(i386.Count), AuditArchI386));
        program.AddRange(i386);
        program.Add((RetK, 0, 0, RetKillProcess)); // an architecture the container cannot have
        if (x86_64.Count > byte.MaxValue || i386.Count > byte.MaxValue)
            throw new InvalidOperationException("a seccomp section is too long for classic BPF's 8-bit jumps");

        var bytes = new byte[program.Count * 8];
        for (int i = 0; i < program.Count; i++)
        {
            var span = bytes.AsSpan(i * 8, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(span, program[i].Code);
            span[2] = program[i].Jt;
            span[3] = program[i].Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], program[i].K);
        }
        return bytes;
    }

    /// <summary>One architecture's checks; it always ends in a return, so control never falls out of it.</summary>
    private static List<(ushort, byte, byte, uint)> Section(IEnumerable<int> numbers, bool restrictClone, int clone, bool rejectX32)
    {
        var section = new List<(ushort, byte, byte, uint)> { (LdAbsW, 0, 0, OffsetNr) };
        if (rejectX32)
        {
            section.Add((JgeK, 0, 1, X32Bit));
            section.Add((RetK, 0, 0, RetErrno | Eperm));
        }
        foreach (int nr in numbers.Where(n => n >= 0).Distinct())
        {
            section.Add((JeqK, 0, 1, (uint)nr));
            section.Add((RetK, 0, 0, RetErrno | Eperm));
        }
        if (restrictClone)
        {
            section.Add((JeqK, 0, 1, SeccompProfile.Clone3));
            section.Add((RetK, 0, 0, RetErrno | Enosys));
            section.Add((JeqK, 0, 3, (uint)clone));
            section.Add((LdAbsW, 0, 0, OffsetArg0Low));
            section.Add((JsetK, 0, 1, SeccompProfile.CloneNamespaceFlags));
            section.Add((RetK, 0, 0, RetErrno | Eperm));
        }
        section.Add((RetK, 0, 0, RetAllow));
        return section;
    }
}
