using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Berth.InitSpec;
using NUnit.Framework;

namespace Berth.Engine.Tests.Processes;

/// <summary>berth-sync.h (the C side of the child contract) says exactly what ChildContract and SyncMessage say.</summary>
public sealed partial class SyncHeaderTests
{
    private static readonly Dictionary<string, long> CSharp = new()
    {
        ["BERTH_SYNC_FD"] = ChildContract.SyncFd,
        ["BERTH_SPEC_FD"] = ChildContract.SpecFd,
        ["BERTH_SECCOMP_FD"] = ChildContract.SeccompFd,
        ["BERTH_SYNC_PID"] = (long)SyncMessageType.Pid,
        ["BERTH_SYNC_READY"] = (long)SyncMessageType.Ready,
        ["BERTH_SYNC_CONTINUE"] = (long)SyncMessageType.Continue,
        ["BERTH_SYNC_CONSOLE"] = (long)SyncMessageType.Console,
        ["BERTH_SYNC_ERROR"] = (long)SyncMessageType.Error,
        ["BERTH_SYNC_HEADER_SIZE"] = SyncMessage.HeaderSize,
        ["BERTH_SYNC_MESSAGE_MAX"] = SyncMessage.MaxSize,
        ["BERTH_EXIT_NOT_EXECUTABLE"] = ChildContract.ExitNotExecutable,
        ["BERTH_EXIT_NOT_FOUND"] = ChildContract.ExitNotFound,
        ["BERTH_EXIT_SETUP_FAILED"] = ChildContract.ExitSetupFailed,
    };

    [Test]
    public void Every_define_of_the_header_has_the_value_of_the_CSharp_definition()
    {
        var defines = HeaderDefines();
        Assert.That(defines.Keys, Is.EquivalentTo(CSharp.Keys), "a constant on one side only");
        foreach (var (name, value) in CSharp)
            Assert.That(defines[name], Is.EqualTo(value), name);
    }

    [Test]
    public void Every_message_type_is_in_the_header() =>
        Assert.That(Enum.GetValues<SyncMessageType>().Select(t => (long)t),
            Is.EquivalentTo(CSharp.Where(c => c.Key.StartsWith("BERTH_SYNC_", StringComparison.Ordinal) && !c.Key.EndsWith("_FD", StringComparison.Ordinal)
                && !c.Key.EndsWith("_SIZE", StringComparison.Ordinal) && !c.Key.EndsWith("_MAX", StringComparison.Ordinal)).Select(c => c.Value)));

    [Test]
    public void The_header_of_a_message_is_a_type_then_a_value_in_host_order()
    {
        Span<byte> buffer = stackalloc byte[SyncMessage.MaxSize];
        int length = SyncMessage.Error(127, "exec: \"nope\": executable file not found in $PATH").Encode(buffer);
        Assert.That(MemoryMarshal.Read<uint>(buffer), Is.EqualTo((uint)SyncMessageType.Error));
        Assert.That(MemoryMarshal.Read<int>(buffer[4..]), Is.EqualTo(127));
        Assert.That(SyncMessage.Decode(buffer[..length]), Is.EqualTo(SyncMessage.Error(127, "exec: \"nope\": executable file not found in $PATH")));
    }

    [Test]
    public void A_long_error_is_cut_to_one_datagram_and_bad_datagrams_are_refused()
    {
        Span<byte> buffer = stackalloc byte[SyncMessage.MaxSize];
        Assert.That(SyncMessage.Error(1, new string('é', 5000)).Encode(buffer), Is.LessThanOrEqualTo(SyncMessage.MaxSize));
        Assert.That(() => SyncMessage.Decode(new byte[3]), Throws.InstanceOf<FormatException>());
        Assert.That(() => SyncMessage.Decode(new byte[8]), Throws.InstanceOf<FormatException>()); // type 0
    }

    private static Dictionary<string, long> HeaderDefines()
    {
        string header = File.ReadAllText(Path.Combine(RepositoryRoot(), "native-interop", "launcher", "berth-sync.h"));
        var defines = Define().Matches(header).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.That(AnyDefine().Count(header), Is.EqualTo(defines.Count), "a #define whose value is not a plain number");
        return defines;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Runtime.sln above {AppContext.BaseDirectory}");
    }

    // Every #define but the include guard must be a number: a define the regex misses fails the key comparison.
    [GeneratedRegex(@"^#define (BERTH_(?!SYNC_H\b)\w+)\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex Define();

    [GeneratedRegex(@"^#define BERTH_(?!SYNC_H\b)", RegexOptions.Multiline)]
    private static partial Regex AnyDefine();
}
