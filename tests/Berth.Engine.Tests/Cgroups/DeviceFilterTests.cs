using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Engine.Tests.Cgroups;

/// <summary>
/// The compiled eBPF device filter, run by a tiny interpreter of the instructions it uses, against the v1
/// semantics of the same rules (the last matching rule decides; no match denies).
/// </summary>
public sealed class DeviceFilterTests
{
    private const int Block = 1, Char = 2, Mknod = 1, Read = 2, Write = 4;

    [TestCase(Char, 1, 3, Read | Write, true, TestName = "/dev/null read-write")]
    [TestCase(Char, 1, 5, Read, true, TestName = "/dev/zero read")]
    [TestCase(Char, 136, 7, Read | Write, true, TestName = "a pts read-write")]
    [TestCase(Char, 5, 2, Read | Write, true, TestName = "ptmx")]
    [TestCase(Char, 10, 229, Read | Write, false, TestName = "fuse is denied")]
    [TestCase(Char, 10, 229, Mknod, true, TestName = "fuse mknod is allowed by runc's later mknod-of-any-char rule")]
    [TestCase(Block, 8, 0, Read, false, TestName = "reading a disk is denied")]
    [TestCase(Block, 8, 0, Mknod, true, TestName = "mknod of a block device is allowed, using it is not")]
    [TestCase(Char, 1, 11, Read | Write, false, TestName = "/dev/kmsg is denied")]
    [TestCase(Char, 1, 1, Read, false, TestName = "/dev/mem is denied")]
    [TestCase(Char, 4, 1, Mknod | Read, false, TestName = "mknod plus read of a tty needs both")]
    public void Docker_defaults(int type, int major, int minor, int access, bool allowed)
    {
        ulong[] program = DeviceFilter.Compile(DeviceRules.DockerDefaults);
        Assert.That(Run(program, type, access, major, minor), Is.EqualTo(allowed ? 1 : 0));
        Assert.That(Reference(DeviceRules.DockerDefaults, type, access, major, minor), Is.EqualTo(allowed), "the reference model agrees");
    }

    [Test]
    public void Every_device_and_access_matches_the_reference_semantics()
    {
        ulong[] program = DeviceFilter.Compile(DeviceRules.DockerDefaults);
        foreach (int type in new[] { Block, Char })
            foreach (int major in new[] { 1, 4, 5, 8, 10, 136, 250 })
                foreach (int minor in new[] { 0, 1, 2, 3, 5, 7, 8, 9, 229 })
                    for (int access = 1; access <= 7; access++)
                        Assert.That(Run(program, type, access, major, minor) == 1, Is.EqualTo(Reference(DeviceRules.DockerDefaults, type, access, major, minor)),
                            $"type {type} {major}:{minor} access {access}");
    }

    /// <summary>v1 devices semantics: rules apply in order, so the last rule that matches decides; nothing matching denies.</summary>
    private static bool Reference(IReadOnlyList<DeviceRule> rules, int type, int access, int major, int minor)
    {
        bool allowed = false;
        foreach (var rule in rules)
        {
            int ruleAccess = (rule.Access.Contains('m') ? Mknod : 0) | (rule.Access.Contains('r') ? Read : 0) | (rule.Access.Contains('w') ? Write : 0);
            bool typeMatches = rule.Type == 'a' || (rule.Type == 'b' ? Block : Char) == type;
            bool numberMatches = (rule.Major is null || rule.Major == major) && (rule.Minor is null || rule.Minor == minor);
            if (!typeMatches || !numberMatches)
                continue;
            if (rule.Allow && (access & ~ruleAccess) == 0)
                allowed = true;
            else if (!rule.Allow && (access & ruleAccess) != 0)
                allowed = false;
        }
        return allowed;
    }

    /// <summary>Interprets the few eBPF instructions the filter uses, with the context struct bpf_cgroup_dev_ctx.</summary>
    private static long Run(ulong[] program, int type, int access, int major, int minor)
    {
        uint[] context = [(uint)(access << 16 | type), (uint)major, (uint)minor];
        var r = new long[11];
        for (int pc = 0; pc < program.Length; pc++)
        {
            ulong insn = program[pc];
            byte code = (byte)insn;
            int dst = (int)(insn >> 8) & 0xf, src = (int)(insn >> 12) & 0xf;
            short offset = (short)(insn >> 16);
            int imm = (int)(insn >> 32);
            switch (code)
            {
                case 0x61: r[dst] = context[offset / 4]; Assert.That(src, Is.EqualTo(1)); break;
                case 0x57: r[dst] &= imm; break;
                case 0x77: r[dst] = (long)((ulong)r[dst] >> imm); break;
                case 0xb7: r[dst] = imm; break;
                case 0xbf: r[dst] = r[src]; break;
                case 0x55: if (r[dst] != imm) pc += offset; break;
                case 0x15: if (r[dst] == imm) pc += offset; break;
                case 0x95: return r[0];
                default: Assert.Fail($"unexpected opcode 0x{code:x2}"); break;
            }
        }
        Assert.Fail("the program ran off its end");
        return -1;
    }
}
