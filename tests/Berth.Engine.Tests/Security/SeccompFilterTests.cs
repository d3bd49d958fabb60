using System.Buffers.Binary;
using Berth.Engine.Security;
using NUnit.Framework;

namespace Berth.Engine.Tests.Security;

/// <summary>The default seccomp program, run by a small classic-BPF interpreter on struct seccomp_data.</summary>
public sealed class SeccompFilterTests
{
    private const uint X86_64 = 0xC000003E, I386 = 0x40000003, Arm64 = 0xC00000B7;
    private const uint Allow = 0x7FFF0000, Eperm = 0x00050001, Enosys = 0x00050026, Kill = 0x80000000;
    private static readonly ulong DefaultCapabilities = Capabilities.ToMask(Capabilities.DockerDefaults);

    private static byte[] DefaultFilter => SeccompProfile.FilterFor(DefaultCapabilities, privileged: false, unconfined: false)!;

    [TestCase(X86_64, 0, 0u, Allow, TestName = "read is allowed")]
    [TestCase(X86_64, 59, 0u, Allow, TestName = "execve is allowed")]
    [TestCase(X86_64, 250, 0u, Eperm, TestName = "keyctl is refused")]
    [TestCase(X86_64, 272, 0u, Eperm, TestName = "unshare is refused without CAP_SYS_ADMIN")]
    [TestCase(X86_64, 165, 0u, Eperm, TestName = "mount is refused")]
    [TestCase(X86_64, 101, 0u, Eperm, TestName = "ptrace is refused")]
    [TestCase(X86_64, 56, 0x11u, Allow, TestName = "clone for a thread or process is allowed")]
    [TestCase(X86_64, 56, 0x10000011u, Eperm, TestName = "clone with CLONE_NEWUSER is refused")]
    [TestCase(X86_64, 435, 0u, Enosys, TestName = "clone3 answers ENOSYS so libc falls back to clone")]
    [TestCase(X86_64, 0x40000000 + 250, 0u, Eperm, TestName = "x32 calls are refused")]
    [TestCase(I386, 288, 0u, Eperm, TestName = "i386 keyctl is refused by its own number")]
    [TestCase(I386, 250, 0u, Allow, TestName = "i386 number 250 is not keyctl there (fadvise64)")]
    [TestCase(I386, 120, 0x20000000u, Eperm, TestName = "i386 clone with CLONE_NEWPID is refused")]
    [TestCase(Arm64, 0, 0u, Kill, TestName = "another architecture is killed")]
    public void Default_profile(uint arch, int nr, uint arg0, uint expected) =>
        Assert.That(Run(DefaultFilter, arch, nr, arg0), Is.EqualTo(expected));

    [Test]
    public void A_capability_lifts_the_calls_docker_ties_to_it()
    {
        byte[] withPtrace = SeccompProfile.FilterFor(DefaultCapabilities | 1UL << Capabilities.Number("SYS_PTRACE"), false, false)!;
        Assert.That(Run(withPtrace, X86_64, 101, 0), Is.EqualTo(Allow), "ptrace");
        Assert.That(Run(withPtrace, X86_64, 250, 0), Is.EqualTo(Eperm), "keyctl stays refused");
        byte[] withAdmin = SeccompProfile.FilterFor(DefaultCapabilities | 1UL << Capabilities.Number("SYS_ADMIN"), false, false)!;
        Assert.That(Run(withAdmin, X86_64, 272, 0), Is.EqualTo(Allow), "unshare");
        Assert.That(Run(withAdmin, X86_64, 56, 0x10000011u), Is.EqualTo(Allow), "clone with namespaces");
        Assert.That(Run(withAdmin, X86_64, 435, 0), Is.EqualTo(Allow), "clone3");
    }

    [Test]
    public void Privileged_and_unconfined_containers_get_no_filter()
    {
        Assert.That(SeccompProfile.FilterFor(DefaultCapabilities, privileged: true, unconfined: false), Is.Null);
        Assert.That(SeccompProfile.FilterFor(DefaultCapabilities, privileged: false, unconfined: true), Is.Null);
    }

    /// <summary>Classic BPF over struct seccomp_data { int nr; u32 arch; u64 ip; u64 args[6]; }.</summary>
    private static uint Run(byte[] program, uint arch, int nr, uint arg0)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), arg0);
        uint a = 0;
        for (int pc = 0; pc < program.Length / 8; pc++)
        {
            var insn = program.AsSpan(pc * 8, 8);
            ushort code = BinaryPrimitives.ReadUInt16LittleEndian(insn);
            byte jt = insn[2], jf = insn[3];
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(insn[4..]);
            switch (code)
            {
                case 0x20: a = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k)); break;
                case 0x15: pc += a == k ? jt : jf; break;
                case 0x35: pc += a >= k ? jt : jf; break;
                case 0x45: pc += (a & k) != 0 ? jt : jf; break;
                case 0x06: return k;
                default: Assert.Fail($"unexpected opcode 0x{code:x4}"); break;
            }
        }
        Assert.Fail("the program ran off its end");
        return 0;
    }
}
