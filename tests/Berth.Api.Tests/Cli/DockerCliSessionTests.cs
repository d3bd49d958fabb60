using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Cli;

/// <summary>
/// The real docker CLI (28.x) for issue 4: terminals (run -it, exec -it, on a real pty from util-linux's script),
/// exec, several attached clients, cp, pause, top, diff, export, stats, events, --init, restart and rename.
/// Skipped, saying why, when docker (or script, for the terminal tests) is not on PATH.
/// </summary>
public sealed class DockerCliSessionTests : DaemonFixture
{
    private static readonly TimeSpan TerminalTimeout = TimeSpan.FromSeconds(30);
    private string _work = "";
    private DockerCli _docker = null!;

    protected override bool LoadBusybox => false;

    [OneTimeSetUp]
    public async Task LoadWithTheCli()
    {
        DockerCli.Require();
        _work = Path.Combine(Daemon.DataRoot + ".run", "work");
        Directory.CreateDirectory(_work);
        _docker = new DockerCli(Daemon.SocketPath, Path.Combine(Daemon.DataRoot + ".run", "docker-config"));
        var load = await _docker.RunAsync("load", "-i", Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
    }

    private async Task<string> RunDetachedAsync(params string[] args)
    {
        var run = await _docker.RunAsync(["run", "-d", .. args]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run.Stdout.Trim();
    }

    private async Task RemoveAsync(string container)
    {
        var rm = await _docker.RunAsync("rm", "-f", container);
        Assert.That(rm.ExitCode, Is.Zero, rm.ToString());
    }

    [Test]
    public async Task RunItGivesTheShellATerminalOfTheClientsSize()
    {
        DockerCli.RequireScript();
        var result = await _docker.RunInTerminalAsync("stty size\necho $((6*7))\nexit 3\n", (30, 100), TerminalTimeout, null, "run", "-it", "--rm", "busybox", "sh");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.ToString());
        Assert.That(result.Stdout, Does.Match(@"(?m)^30 100\r?$"), "stty size inside: the size of the client's terminal");
        Assert.That(result.Stdout, Does.Match(@"(?m)^42\r?$"));
    }

    [Test]
    public async Task RunItFollowsTheClientsTerminalWhenItIsResized()
    {
        DockerCli.RequireScript();
        // A second after docker starts, the outer terminal changes size: the kernel sends SIGWINCH and the CLI resizes.
        const string Wait = "while [ \"$(stty size)\" != \"41 131\" ]; do sleep 0.1; done; echo \"now $(stty size)\"; exit 0\n";
        var result = await _docker.RunInTerminalAsync(Wait, (30, 100), TerminalTimeout, "(sleep 1; stty rows 41 cols 131 </dev/tty) &", "run", "-it", "--rm", "busybox", "sh");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("now 41 131"));
    }

    [Test]
    public async Task ExecItGivesATerminalAndItsExitCode()
    {
        DockerCli.RequireScript();
        string id = await RunDetachedAsync("busybox", "sleep", "1000");
        var result = await _docker.RunInTerminalAsync("stty size\ntty\nexit 4\n", (25, 90), TerminalTimeout, null, "exec", "-it", id, "sh");
        Assert.That(result.ExitCode, Is.EqualTo(4), result.ToString());
        Assert.That(result.Stdout, Does.Match(@"(?m)^25 90\r?$"));
        Assert.That(result.Stdout, Does.Match(@"(?m)^/dev/pts/\d+\r?$"));
        await RemoveAsync(id);
    }

    [Test]
    public async Task ExecExitCodesOutputAndDetach()
    {
        string id = await RunDetachedAsync("busybox", "sleep", "1000");
        var hi = await _docker.RunAsync("exec", id, "sh", "-c", "echo out; echo err >&2");
        Assert.That(hi.ExitCode, Is.Zero, hi.ToString());
        Assert.That((hi.Stdout, hi.Stderr), Is.EqualTo(("out\n", "err\n")));
        var five = await _docker.RunAsync("exec", id, "sh", "-c", "exit 5");
        Assert.That(five.ExitCode, Is.EqualTo(5), five.ToString());
        var missing = await _docker.RunAsync("exec", id, "nope");
        Assert.That(missing.ExitCode, Is.EqualTo(127), missing.ToString());
        Assert.That(missing.Stdout + missing.Stderr, Does.Contain("executable file not found"));
        var input = await _docker.RunAsync("a\nb\n", DockerCli.DefaultTimeout, "exec", "-i", id, "cat");
        Assert.That(input.Stdout, Is.EqualTo("a\nb\n"), input.ToString());

        var detached = await _docker.RunAsync("exec", "-d", id, "sh", "-c", "echo done > /tmp/detached");
        Assert.That(detached.ExitCode, Is.Zero, detached.ToString());
        Assert.That(detached.Stdout + detached.Stderr, Is.Empty);
        string content = "";
        for (int i = 0; i < 100 && content != "done\n"; i++)
        {
            content = (await _docker.RunAsync("exec", id, "cat", "/tmp/detached")).Stdout;
            if (content != "done\n")
                await Task.Delay(100);
        }
        Assert.That(content, Is.EqualTo("done\n"), "the detached exec ran");
        await RemoveAsync(id);

        var stopped = await _docker.RunAsync("exec", id, "true");
        Assert.That(stopped.ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task TwoClientsAttachAndOneGoingAwayLeavesTheContainerRunning()
    {
        string id = await RunDetachedAsync("busybox", "sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done");
        using var first = Process.Start(_docker.StartInfo("attach", "--no-stdin", id))!;
        using var second = Process.Start(_docker.StartInfo("attach", "--no-stdin", id))!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.That(await first.StandardOutput.ReadLineAsync(cts.Token), Does.StartWith("tick "));
            Assert.That(await second.StandardOutput.ReadLineAsync(cts.Token), Does.StartWith("tick "));
            first.Kill();
            await first.WaitForExitAsync(cts.Token);
            await second.StandardOutput.ReadLineAsync(cts.Token);
            string? after = await second.StandardOutput.ReadLineAsync(cts.Token);
            Assert.That(after, Does.StartWith("tick "), "the other client still gets the output");
            var state = await _docker.RunAsync("inspect", "-f", "{{.State.Running}}", id);
            Assert.That(state.Stdout, Is.EqualTo("true\n"), "a client going away does not stop the container");
            await RemoveAsync(id);
            await second.WaitForExitAsync(cts.Token);
        }
        finally
        {
            foreach (var process in new[] { first, second })
                if (!process.HasExited)
                    process.Kill();
        }
    }

    [Test]
    public async Task CpCopiesFilesAndTreesBothWays()
    {
        string id = await RunDetachedAsync("busybox", "sleep", "1000");
        string passwd = Path.Combine(_work, "passwd-" + id[..8]);
        var outOf = await _docker.RunAsync("cp", id + ":/etc/passwd", passwd);
        Assert.That(outOf.ExitCode, Is.Zero, outOf.ToString());
        Assert.That(File.ReadAllText(passwd), Is.EqualTo(File.ReadAllText(Path.Combine(Berth.TestImages.TestImages.Ensure().RootfsDirectory, "etc", "passwd"))));

        string tree = Path.Combine(_work, "tree-" + id[..8]);
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        File.WriteAllText(Path.Combine(tree, "top.txt"), "top\n");
        File.WriteAllText(Path.Combine(tree, "sub", "deep.txt"), "deep\n");
        var into = await _docker.RunAsync("cp", tree, id + ":/tmp/");
        Assert.That(into.ExitCode, Is.Zero, into.ToString());
        string name = Path.GetFileName(tree);
        var find = await _docker.RunAsync("exec", id, "sh", "-c", $"cat /tmp/{name}/top.txt /tmp/{name}/sub/deep.txt");
        Assert.That(find.Stdout, Is.EqualTo("top\ndeep\n"), find.ToString());

        string back = Path.Combine(_work, "back-" + id[..8]);
        var roundTrip = await _docker.RunAsync("cp", $"{id}:/tmp/{name}", back);
        Assert.That(roundTrip.ExitCode, Is.Zero, roundTrip.ToString());
        Assert.That(File.ReadAllText(Path.Combine(back, "sub", "deep.txt")), Is.EqualTo("deep\n"));
        var missing = await _docker.RunAsync("cp", id + ":/nope", Path.Combine(_work, "nope"));
        Assert.That(missing.ExitCode, Is.Not.Zero);
        Assert.That(missing.Stderr, Does.Contain("Could not find the file /nope"));
        await RemoveAsync(id);
    }

    [Test]
    public async Task CpNeverFollowsAContainerSymlinkOutOfTheContainer()
    {
        string id = await RunDetachedAsync("busybox", "sleep", "1000");
        Assert.That((await _docker.RunAsync("exec", id, "ln", "-s", "/etc", "/escape")).ExitCode, Is.Zero);
        string sentinel = "berth-sentinel-" + id[..12];
        string source = Path.Combine(_work, sentinel);
        File.WriteAllText(source, "inside\n");
        try
        {
            var into = await _docker.RunAsync("cp", source, $"{id}:/escape/{sentinel}");
            Assert.That(into.ExitCode, Is.Zero, into.ToString());
            Assert.That(File.Exists(Path.Combine("/etc", sentinel)), Is.False, "the host's /etc was not written");
            var inside = await _docker.RunAsync("exec", id, "cat", "/etc/" + sentinel);
            Assert.That(inside.Stdout, Is.EqualTo("inside\n"), "the symlink resolved inside the container");

            string copied = Path.Combine(_work, "escaped-passwd-" + id[..8]);
            var outOf = await _docker.RunAsync("cp", id + ":/escape/passwd", copied);
            Assert.That(outOf.ExitCode, Is.Zero, outOf.ToString());
            Assert.That(File.ReadAllText(copied), Is.EqualTo(File.ReadAllText(Path.Combine(Berth.TestImages.TestImages.Ensure().RootfsDirectory, "etc", "passwd"))),
                "the container's passwd, not the host's");
        }
        finally
        {
            File.Delete(Path.Combine("/etc", sentinel));
        }
        await RemoveAsync(id);
    }

    [Test]
    public async Task PauseStopsACounterAndUnpauseResumesIt()
    {
        string id = await RunDetachedAsync("busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo $i; sleep 0.05; done");
        await WaitForLogAsync(id);
        Assert.That((await _docker.RunAsync("pause", id)).ExitCode, Is.Zero);
        var status = await _docker.RunAsync("ps", "--filter", "id=" + id, "--format", "{{.Status}}");
        Assert.That(status.Stdout, Does.Contain("(Paused)"));
        var twice = await _docker.RunAsync("pause", id);
        Assert.That(twice.Stderr, Does.Contain("is already paused"));
        await Task.Delay(300); // lines written just before the freeze reach the log
        string frozen = await LastLogLineAsync(id);
        await Task.Delay(500);
        Assert.That(await LastLogLineAsync(id), Is.EqualTo(frozen), "no progress while paused");

        Assert.That((await _docker.RunAsync("unpause", id)).ExitCode, Is.Zero);
        string now = frozen;
        for (int i = 0; i < 100 && now == frozen; i++)
        {
            await Task.Delay(100);
            now = await LastLogLineAsync(id);
        }
        Assert.That(int.Parse(now, CultureInfo.InvariantCulture), Is.GreaterThan(int.Parse(frozen, CultureInfo.InvariantCulture)), "counting again");
        await RemoveAsync(id);
    }

    private async Task<string> LastLogLineAsync(string id) => (await _docker.RunAsync("logs", "--tail", "1", id)).Stdout.Trim();

    private async Task WaitForLogAsync(string id)
    {
        for (int i = 0; i < 100 && await LastLogLineAsync(id) == ""; i++)
            await Task.Delay(50);
    }

    [Test]
    public async Task TopListsTheContainersProcesses()
    {
        string id = await RunDetachedAsync("busybox", "sh", "-c", "sleep 1000 & sleep 2000");
        var top = await _docker.RunAsync("top", id);
        // Until the background child of sh has exec'd sleep and sh itself has exec'd its last command (busybox sh
        // does): before that, sh's own command line also names "sleep 1000".
        for (int i = 0; i < 50 && (!top.Stdout.Contains(" sleep 1000\n", StringComparison.Ordinal) || top.Stdout.Contains("sh -c", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
            top = await _docker.RunAsync("top", id);
        }
        Assert.That(top.ExitCode, Is.Zero, top.ToString());
        string[] lines = top.Stdout.TrimEnd().Split('\n');
        Assert.That(lines[0], Does.StartWith("UID").And.Contain("PID").And.Contain("CMD"));
        Assert.That(lines.Count(l => l.Contains("sleep 1000", StringComparison.Ordinal)), Is.EqualTo(1), top.Stdout);
        Assert.That(lines.Count(l => l.Contains("sleep 2000", StringComparison.Ordinal)), Is.EqualTo(1), top.Stdout);
        Assert.That(lines.Skip(1).All(l => l.Contains("sleep", StringComparison.Ordinal) || l.Contains("sh -c", StringComparison.Ordinal)), top.Stdout + "\nonly the container's processes");
        var aux = await _docker.RunAsync("top", id, "aux");
        Assert.That(aux.Stdout, Does.StartWith("USER").And.Contain("%CPU"));
        await RemoveAsync(id);
    }

    [Test]
    public async Task DiffAndExportShowTheContainersChanges()
    {
        string name = UniqueName("changed");
        var run = await _docker.RunAsync("run", "--name", name, "busybox", "sh", "-c", "touch /new; rm /etc/group");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var diff = await _docker.RunAsync("diff", name);
        Assert.That(diff.ExitCode, Is.Zero, diff.ToString());
        Assert.That(diff.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.SupersetOf(new[] { "C /etc", "D /etc/group", "A /new" }));

        string tar = Path.Combine(_work, name + ".tar");
        var export = await _docker.RunAsync("export", "-o", tar, name);
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var entries = new List<string>();
        await using (var file = File.OpenRead(tar))
        using (var reader = new TarReader(file))
            while (reader.GetNextEntry() is { } entry)
                entries.Add(entry.Name);
        Assert.That(entries, Does.Contain("new"));
        Assert.That(entries, Does.Contain("bin/sh").Or.Contain("bin/busybox"));
        Assert.That(entries, Does.Not.Contain("etc/group"));
        await RemoveAsync(name);
    }

    [Test]
    public async Task StatsNoStreamShowsTheMemoryLimit()
    {
        string id = await RunDetachedAsync("-m", "64m", "busybox", "sleep", "1000");
        var stats = await _docker.RunAsync("stats", "--no-stream", id);
        Assert.That(stats.ExitCode, Is.Zero, stats.ToString());
        Assert.That(stats.Stdout, Does.Contain("MEM USAGE / LIMIT"));
        string row = stats.Stdout.Split('\n')[1];
        Assert.That(row, Does.StartWith(id[..12]).And.Match(@"[0-9.]+[KMG]?i?B / 64MiB +[0-9.]+% .* 1$"), stats.Stdout + "\n(usage / limit, MEM %, ..., PIDS)");
        await RemoveAsync(id);
    }

    [Test]
    public async Task EventsBetweenTwoTimesForOneContainer()
    {
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string name = UniqueName("evented");
        Assert.That((await _docker.RunAsync("run", "--name", name, "busybox", "true")).ExitCode, Is.Zero);
        string id = (await _docker.RunAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();
        await RemoveAsync(name);
        // Just past the destroy: by the time the daemon reads it, until lies in the past, so the stream ends by itself.
        string until = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1) / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

        var events = await _docker.RunAsync("events", "--since", since, "--until", until, "--filter", "container=" + id, "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
        Assert.That(events.ExitCode, Is.Zero, events.ToString());
        var lines = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.That(lines.All(l => l.StartsWith("container ", StringComparison.Ordinal) && l.EndsWith(" " + name, StringComparison.Ordinal)), lines.Count > 0 ? string.Join("|", lines) : "no events");
        var actions = lines.Select(l => l.Split(' ')[1]).ToList();
        var expected = new[] { "create", "start", "die", "destroy" };
        Assert.That(actions.Where(expected.Contains), Is.EqualTo(expected), string.Join(",", actions));

        var table = await _docker.RunAsync("events", "--since", since, "--until", until, "--filter", "container=" + name, "--filter", "event=die");
        Assert.That(table.Stdout, Does.Match(@"^\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d) container die [0-9a-f]{64} \(.*exitCode=0.*name=" + name + @".*\)\n$"));
    }

    [Test]
    public async Task InitReapsOrphansAndPassesTheStopSignalOn()
    {
        string id = await RunDetachedAsync("--init", "busybox", "sh", "-c", "(sleep 0.2 &); sleep 1000");
        string ps = "";
        for (int i = 0; i < 100; i++)
        {
            ps = (await _docker.RunAsync("exec", id, "ps", "-o", "stat,args")).Stdout;
            if (!ps.Split('\n').Any(IsOrphan))
                break;
            await Task.Delay(100);
        }
        Assert.That(ps.Split('\n').Where(IsOrphan), Is.Empty, "the orphan exited and was reaped: " + ps);
        Assert.That(ps.Split('\n').Where(l => l.StartsWith('Z')), Is.Empty, "no zombie: " + ps);

        var stop = await _docker.RunAsync("stop", "-t", "10", id);
        Assert.That(stop.ExitCode, Is.Zero, stop.ToString());
        var exit = await _docker.RunAsync("inspect", "-f", "{{.State.ExitCode}}", id);
        Assert.That(exit.Stdout, Is.EqualTo("143\n"), "SIGTERM reached the shell through the init: not killed after the timeout (137)");
        await RemoveAsync(id);
    }

    private static bool IsOrphan(string psLine) => psLine.TrimEnd().EndsWith(" sleep 0.2", StringComparison.Ordinal);

    [Test]
    public async Task RestartAndRename()
    {
        string first = UniqueName("first");
        string second = UniqueName("second");
        string id = await RunDetachedAsync("--name", first, "busybox", "sleep", "1000");
        string startedBefore = (await _docker.RunAsync("inspect", "-f", "{{.State.StartedAt}}", id)).Stdout;
        var restart = await _docker.RunAsync("restart", "-t", "1", first);
        Assert.That(restart.ExitCode, Is.Zero, restart.ToString());
        var state = await _docker.RunAsync("inspect", "-f", "{{.State.Running}} {{.State.StartedAt}}", id);
        Assert.That(state.Stdout, Does.StartWith("true "));
        Assert.That(state.Stdout[5..], Is.Not.EqualTo(startedBefore), "started again");

        var rename = await _docker.RunAsync("rename", first, second);
        Assert.That(rename.ExitCode, Is.Zero, rename.ToString());
        Assert.That((await _docker.RunAsync("inspect", "-f", "{{.Name}}", id)).Stdout, Is.EqualTo($"/{second}\n"));
        Assert.That((await _docker.RunAsync("inspect", first)).ExitCode, Is.Not.Zero, "the old name is free");
        string other = await RunDetachedAsync("--name", first, "busybox", "true");
        var conflict = await _docker.RunAsync("rename", second, first);
        Assert.That(conflict.ExitCode, Is.Not.Zero);
        Assert.That(conflict.Stderr, Does.Contain("is already in use"));
        await RemoveAsync(other);
        await RemoveAsync(id);
    }
}
