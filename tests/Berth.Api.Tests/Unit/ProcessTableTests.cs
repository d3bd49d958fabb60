using Berth.Daemon.Api;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>docker top's parsing of ps output, as moby's parsePSOutput, and its check of ps arguments.</summary>
public sealed class ProcessTableTests
{
    private const string PsEf = """
        UID          PID    PPID  C STIME TTY          TIME CMD
        root           1       0  0 10:00 ?        00:00:01 /sbin/init splash
        root         200       1  0 10:01 ?        00:00:00 sh -c sleep 1000 & sleep 2000
        root         201     200  0 10:01 ?        00:00:00 sleep 1000
        root         300       1  0 10:02 ?        00:00:00 sshd: root@pts/0

        """;

    [Test]
    public void KeepsTheHeaderAndOnlyTheContainersRowsWithTheirWholeCommand()
    {
        var table = ProcessTable.Parse(PsEf, [200, 201]);
        Assert.That(table.Titles, Is.EqualTo(new[] { "UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD" }));
        Assert.That(table.Processes, Has.Count.EqualTo(2));
        Assert.That(table.Processes[0][^1], Is.EqualTo("sh -c sleep 1000 & sleep 2000"));
        Assert.That(table.Processes[1], Is.EqualTo(new[] { "root", "201", "200", "0", "10:01", "?", "00:00:00", "sleep 1000" }));
    }

    [Test]
    public void ThreadRowsFollowTheirProcess()
    {
        const string Threads = "USER PID TID CMD\nroot 10 - app\nroot - 10 -\nroot - 11 -\nroot 20 - other\nroot - 20 -\n";
        var table = ProcessTable.Parse(Threads, [10]);
        Assert.That(table.Processes.Select(r => r[2]), Is.EqualTo(new[] { "-", "10", "11" }));
    }

    [Test]
    public void OutputWithoutAPidColumnIsAnError()
    {
        var e = Assert.Throws<ApiException>(() => ProcessTable.Parse("USER COMMAND\nroot sh\n", [1]))!;
        Assert.That(e.Message, Does.Contain("Couldn't find PID field"));
    }

    [TestCase("-ef")]
    [TestCase("aux")]
    [TestCase("-o pid,comm")]
    [TestCase("-o pid=PID")]
    public void AllowsOrdinaryArguments(string args) => Assert.DoesNotThrow(() => ProcessTable.ValidateArguments(args));

    [Test]
    public void RefusesAnotherColumnRenamedPid()
    {
        var e = Assert.Throws<ApiException>(() => ProcessTable.ValidateArguments("-o pid -o ppid=PID"))!;
        Assert.That(e.StatusCode, Is.EqualTo(400));
        Assert.That(e.Message, Is.EqualTo("specifying \"ppid=PID\" is not allowed"));
    }
}
