using Berth.Interop;

namespace Berth.Engine.Cgroups;

/// <summary>
/// cgroup v2 has no devices.allow/deny: device access is decided by an eBPF program
/// (BPF_PROG_TYPE_CGROUP_DEVICE) attached to the cgroup. This compiles <see cref="DeviceRule"/>s into one, with v1's
/// semantics: the last matching rule decides, and nothing matching means deny. The program reads
/// struct bpf_cgroup_dev_ctx { u32 access_type (access &lt;&lt; 16 | device type); u32 major; u32 minor; }
/// and returns 1 to allow, 0 to deny (EPERM). Written by hand (like runc's devicefilter): it is a few dozen
/// instructions, and no .NET library assembles BPF.
/// </summary>
public static class DeviceFilter
{
    // Registers: r1 = context; r2 = device type; r3 = requested access; r4 = major; r5 = minor; r6 scratch.
    private const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6;

    private const byte LdxW = 0x61;      // BPF_LDX | BPF_MEM | BPF_W
    private const byte AndImm = 0x57;    // BPF_ALU64 | BPF_AND | BPF_K
    private const byte RshImm = 0x77;    // BPF_ALU64 | BPF_RSH | BPF_K
    private const byte MovImm = 0xb7;    // BPF_ALU64 | BPF_MOV | BPF_K
    private const byte MovReg = 0xbf;    // BPF_ALU64 | BPF_MOV | BPF_X
    private const byte JneImm = 0x55;    // BPF_JMP | BPF_JNE | BPF_K
    private const byte JeqImm = 0x15;    // BPF_JMP | BPF_JEQ | BPF_K
    private const byte Exit = 0x95;      // BPF_JMP | BPF_EXIT

    private const int DevBlock = 1, DevChar = 2;                // BPF_DEVCG_DEV_*
    private const int AccMknod = 1, AccRead = 2, AccWrite = 4;  // BPF_DEVCG_ACC_*

    public static ulong[] Compile(IReadOnlyList<DeviceRule> rules)
    {
        var program = new List<ulong>
        {
            Insn(LdxW, R2, R1, 0, 0),
            Insn(AndImm, R2, 0, 0, 0xFFFF),
            Insn(LdxW, R3, R1, 0, 0),
            Insn(RshImm, R3, 0, 0, 16),
            Insn(LdxW, R4, R1, 4, 0),
            Insn(LdxW, R5, R1, 8, 0),
        };
        // Last rule wins: test them from the last to the first, the first match decides. A rule that matches
        // everything ends the program (the verifier refuses unreachable instructions after it).
        for (int i = rules.Count - 1; i >= 0; i--)
        {
            program.AddRange(RuleBlock(rules[i]));
            if (MatchesEverything(rules[i]))
                return [.. program];
        }
        program.Add(Insn(MovImm, R0, 0, 0, 0));
        program.Add(Insn(Exit, 0, 0, 0, 0));
        return [.. program];
    }

    /// <summary>Loads the program for <paramref name="rules"/> and attaches it to the cgroup directory.</summary>
    public static void Attach(string cgroupDirectory, IReadOnlyList<DeviceRule> rules)
    {
        using var program = Sys.LoadDeviceProgram(Compile(rules));
        Sys.AttachDeviceProgram(program, cgroupDirectory);
    }

    /// <summary>The checks of one rule; each jumps past the block's end on a mismatch, else it returns the rule's verdict.</summary>
    private static List<ulong> RuleBlock(DeviceRule rule)
    {
        var checks = new List<(byte Code, byte Register, int Value)>();
        if (rule.Type != 'a')
            checks.Add((JneImm, R2, rule.Type == 'b' ? DevBlock : DevChar));
        int access = AccessBits(rule.Access);
        bool allAccess = access == (AccMknod | AccRead | AccWrite);
        if (rule.Major is { } major)
            checks.Add((JneImm, R4, (int)major));
        if (rule.Minor is { } minor)
            checks.Add((JneImm, R5, (int)minor));

        var block = new List<ulong>();
        int accessInsns = allAccess ? 0 : 3;
        int length = checks.Count + accessInsns + 2;
        foreach (var (code, register, value) in checks)
            block.Add(Insn(code, register, 0, (short)(length - block.Count - 1), value));
        if (!allAccess)
        {
            // An allow rule must cover every requested access; a deny rule matches if it covers any of them.
            block.Add(Insn(MovReg, R6, R3, 0, 0));
            block.Add(Insn(AndImm, R6, 0, 0, rule.Allow ? ~access & 7 : access));
            block.Add(Insn(rule.Allow ? JneImm : JeqImm, R6, 0, (short)(length - block.Count - 1), 0));
        }
        block.Add(Insn(MovImm, R0, 0, 0, rule.Allow ? 1 : 0));
        block.Add(Insn(Exit, 0, 0, 0, 0));
        return block;
    }

    private static bool MatchesEverything(DeviceRule rule) =>
        rule.Type == 'a' && rule.Major is null && rule.Minor is null && AccessBits(rule.Access) == (AccMknod | AccRead | AccWrite);

    private static int AccessBits(string access) =>
        (access.Contains('m') ? AccMknod : 0) | (access.Contains('r') ? AccRead : 0) | (access.Contains('w') ? AccWrite : 0);

    private static ulong Insn(byte code, byte dst, byte src, short offset, int immediate) =>
        code | (ulong)(byte)(src << 4 | dst) << 8 | (ulong)(ushort)offset << 16 | (ulong)(uint)immediate << 32;
}
