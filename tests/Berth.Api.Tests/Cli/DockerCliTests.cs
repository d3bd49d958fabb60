using System.Diagnostics;
using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Cli;

/// <summary>
/// The real docker CLI (28.x) against berthd, command by command, with DOCKER_HOST on the daemon's socket.
/// Skipped, saying why, when docker is not on PATH.
/// </summary>
public sealed class DockerCliTests : DaemonFixture
{
    private string _config = "";
    private DockerCli _docker = null!;

    protected override bool LoadBusybox => false;

    [OneTimeSetUp]
    public async Task LoadWithTheCli()
    {
        DockerCli.Require();
        _config = Path.Combine(Daemon.DataRoot + ".run", "docker-config");
        Directory.CreateDirectory(_config);
        _docker = new DockerCli(Daemon.SocketPath, _config);
        var load = await _docker.RunAsync("load", "-i", Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
        Assert.That(load.Stdout, Is.EqualTo("Loaded image: busybox:latest\n"));
    }

    [Test]
    public async Task Volumes_through_the_docker_cli()
    {
        var create = await _docker.RunAsync("volume", "create", "--label", "app=web", "cli-vol");
        Assert.That((create.ExitCode, create.Stdout), Is.EqualTo((0, "cli-vol\n")), create.ToString());
        var write = await _docker.RunAsync("run", "--rm", "-v", "cli-vol:/d", "busybox", "sh", "-c", "echo hello > /d/f");
        Assert.That(write.ExitCode, Is.Zero, write.ToString());
        var read = await _docker.RunAsync("run", "--rm", "--mount", "type=volume,src=cli-vol,dst=/e,readonly", "--tmpfs", "/scratch:size=1m", "busybox", "sh", "-c", "cat /e/f; touch /e/g || echo refused");
        Assert.That(read.Stdout, Does.StartWith("hello\n").And.EndWith("refused\n"), read.ToString());
        var list = await _docker.RunAsync("volume", "ls", "--filter", "label=app=web");
        Assert.That(list.Stdout, Is.EqualTo("DRIVER    VOLUME NAME\nlocal     cli-vol\n"), list.ToString());
        var inspect = await _docker.RunAsync("volume", "inspect", "--format", "{{.Driver}} {{.Scope}} {{.Labels.app}}", "cli-vol");
        Assert.That(inspect.Stdout, Is.EqualTo("local local web\n"), inspect.ToString());
        var bad = await _docker.RunAsync("volume", "create", "bad/name");
        Assert.That(bad.ExitCode, Is.EqualTo(1));
        Assert.That(bad.Stderr, Does.Contain("includes invalid characters for a local volume name"));
        var remove = await _docker.RunAsync("volume", "rm", "cli-vol");
        Assert.That((remove.ExitCode, remove.Stdout), Is.EqualTo((0, "cli-vol\n")), remove.ToString());
        var prune = await _docker.RunAsync("volume", "prune", "-f");
        Assert.That(prune.Stdout, Does.Contain("Total reclaimed space:"), prune.ToString());
    }

    [Test]
    public async Task Anonymous_volumes_go_with_rm_v_and_tmpfs_mounts_are_limited_through_the_docker_cli()
    {
        var create = await _docker.RunAsync("create", "--name", "cli-anon", "-v", "/data", "busybox", "true");
        Assert.That(create.ExitCode, Is.Zero, create.ToString());
        var mounts = await _docker.RunAsync("inspect", "--format", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}", "cli-anon");
        string[] mount = mounts.Stdout.Trim().Split(' ');
        Assert.That(mount, Has.Length.EqualTo(4), mounts.ToString());
        Assert.That((mount[0], mount[1].Length, mount[2], mount[3]), Is.EqualTo(("volume", 64, "/data", "true")), mounts.ToString());
        var listed = await _docker.RunAsync("volume", "ls", "-q");
        Assert.That(listed.Stdout.Split('\n'), Does.Contain(mount[1]), listed.ToString());
        var remove = await _docker.RunAsync("rm", "-v", "cli-anon");
        Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
        var gone = await _docker.RunAsync("volume", "inspect", mount[1]);
        Assert.That(gone.ExitCode, Is.EqualTo(1), gone.ToString());
        Assert.That(gone.Stderr, Does.Contain("no such volume"), gone.ToString());

        var tmpfs = await _docker.RunAsync("run", "--rm", "--mount", "type=tmpfs,dst=/t,tmpfs-size=1m", "busybox", "sh", "-c",
            "grep ' /t ' /proc/mounts; dd if=/dev/zero of=/t/f bs=1k count=2048 2>/dev/null || echo full");
        Assert.That(tmpfs.ExitCode, Is.Zero, tmpfs.ToString());
        Assert.That(tmpfs.Stdout, Does.StartWith("tmpfs /t tmpfs ").And.Contain("size=1024k").And.EndWith("full\n"), tmpfs.ToString());
    }

    [Test]
    public async Task Version()
    {
        var result = await _docker.RunAsync("version", "--format", "{{.Server.APIVersion}} {{.Server.Platform.Name}} {{.Server.Os}}");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Is.EqualTo("1.50 Berth linux\n"));
        Assert.That(result.Stderr, Is.Empty, "no 'Unsolicited response' from a HEAD body");
        var full = await _docker.RunAsync("version");
        Assert.That(full.ExitCode, Is.Zero, full.ToString());
        Assert.That(full.Stdout, Does.Contain("Server: Berth").And.Contain("API version:      1.50 (minimum version 1.40)"));
    }

    [Test]
    public async Task Info()
    {
        var result = await _docker.RunAsync("info");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Storage Driver: overlay2").And.Contain("Cgroup Driver: cgroupfs").And.Contain($"Docker Root Dir: {Daemon.DataRoot}"));
        var json = await _docker.RunAsync("info", "--format", "{{json .}}");
        Assert.That(JsonDocument.Parse(json.Stdout).RootElement.GetProperty("OSType").GetString(), Is.EqualTo("linux"));
    }

    [Test]
    public async Task LoadTheOciArchiveAndListImages()
    {
        var load = await _docker.RunAsync("load", "-i", Berth.TestImages.TestImages.Ensure().BusyboxOciArchive);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
        Assert.That(load.Stdout, Does.Contain("Loaded image: busybox:oci"));
        var images = await _docker.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");
        Assert.That(images.ExitCode, Is.Zero, images.ToString());
        Assert.That(images.Stdout, Does.Contain("busybox:latest ").And.Contain("busybox:oci "));
        var table = await _docker.RunAsync("images");
        Assert.That(table.Stdout, Does.StartWith("REPOSITORY"));
        Assert.That((await _docker.RunAsync("rmi", "busybox:oci")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task RunPrintsTheOutputAndRemovesTheContainer()
    {
        var result = await _docker.RunAsync("run", "--rm", "busybox", "echo", "hi");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Is.EqualTo("hi\n"));
        Assert.That(result.Stderr, Is.Empty);
        var all = await _docker.RunAsync("ps", "-a", "-q", "--no-trunc");
        Assert.That(all.Stdout, Does.Not.Contain(result.Stdout.Trim()));
    }

    [Test]
    public async Task RunExitsWithTheContainersCode()
    {
        var result = await _docker.RunAsync("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.That(result.ExitCode, Is.EqualTo(3), result.ToString());
        Assert.That(result.Stdout, Is.EqualTo("out\n"));
        Assert.That(result.Stderr, Is.EqualTo("err\n"));
    }

    [Test]
    public async Task RunOfAMissingExecutableExits127WithTheMessage()
    {
        var result = await _docker.RunAsync("run", "--rm", "busybox", "nope");
        Assert.That(result.ExitCode, Is.EqualTo(127), result.ToString());
        Assert.That(result.Stderr, Does.Contain("exec: \"nope\": executable file not found in $PATH"));
    }

    [Test]
    public async Task RunWithStdinGetsTheInputAndItsEnd()
    {
        var result = await _docker.RunAsync("a\nb\n", DockerCli.DefaultTimeout, "run", "-i", "--rm", "busybox", "cat");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Is.EqualTo("a\nb\n"));
    }

    [Test]
    public async Task RunOfAMissingImageTriesToPullItAndSaysWhyItCannot()
    {
        var result = await _docker.RunAsync("run", "--rm", "127.0.0.1:1/missing:1", "true");
        Assert.That(result.ExitCode, Is.EqualTo(125), result.ToString());
        Assert.That(result.Stderr, Does.Contain("Unable to find image '127.0.0.1:1/missing:1' locally").And.Contain("127.0.0.1:1"));
    }

    [Test]
    public async Task RunOfAnUnsupportedOptionIsRefusedClearly()
    {
        var result = await _docker.RunAsync("run", "--rm", "-p", "8080:80", "busybox", "true");
        Assert.That(result.ExitCode, Is.EqualTo(125), result.ToString());
        Assert.That(result.Stderr, Does.Contain("not supported by Berth yet: HostConfig.PortBindings"));
    }

    [Test]
    public async Task DetachedContainerLifecycle()
    {
        string name = UniqueName("web");
        var run = await _docker.RunAsync("run", "-d", "--name", name, "busybox", "sleep", "1000");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string id = run.Stdout.Trim();
        Assert.That(id, Does.Match("^[0-9a-f]{64}$"));

        var ps = await _docker.RunAsync("ps");
        Assert.That(ps.ExitCode, Is.Zero, ps.ToString());
        string line = ps.Stdout.Split('\n').Single(l => l.EndsWith(name, StringComparison.Ordinal));
        Assert.That(line, Does.StartWith(id[..12]).And.Contain("busybox").And.Contain("\"sleep 1000\"").And.Contain("Up "));

        var inspect = await _docker.RunAsync("inspect", name);
        Assert.That(inspect.ExitCode, Is.Zero, inspect.ToString());
        var container = JsonDocument.Parse(inspect.Stdout).RootElement[0];
        Assert.That(container.GetProperty("State").GetProperty("Status").GetString(), Is.EqualTo("running"));
        var status = await _docker.RunAsync("inspect", "-f", "{{.State.Status}} {{.Name}}", name);
        Assert.That(status.Stdout, Is.EqualTo($"running /{name}\n"));

        var rmi = await _docker.RunAsync("rmi", "busybox");
        Assert.That(rmi.ExitCode, Is.EqualTo(1), rmi.ToString());
        Assert.That(rmi.Stderr, Does.Contain("conflict").And.Contain("must force"));

        var stop = await _docker.RunAsync("stop", "-t", "1", name);
        Assert.That(stop.ExitCode, Is.Zero, stop.ToString());
        Assert.That(stop.Stdout, Is.EqualTo(name + "\n"));
        var psAll = await _docker.RunAsync("ps", "-a", "--filter", "name=" + name, "--format", "{{.Names}} {{.Status}}");
        Assert.That(psAll.Stdout, Does.Match($"^{name} Exited \\((137|143)\\) .* ago\n$"));
        var psRunning = await _docker.RunAsync("ps", "-q");
        Assert.That(psRunning.Stdout, Does.Not.Contain(id[..12]));

        var rm = await _docker.RunAsync("rm", name);
        Assert.That(rm.ExitCode, Is.Zero, rm.ToString());
    }

    [Test]
    public async Task KillWaitAndForcedRemove()
    {
        string name = UniqueName("victim");
        Assert.That((await _docker.RunAsync("run", "-d", "--name", name, "busybox", "sleep", "1000")).ExitCode, Is.Zero);
        var waiting = _docker.RunAsync("wait", name);
        var kill = await _docker.RunAsync("kill", name);
        Assert.That(kill.ExitCode, Is.Zero, kill.ToString());
        var wait = await waiting;
        Assert.That(wait.ExitCode, Is.Zero, wait.ToString());
        Assert.That(wait.Stdout, Is.EqualTo("137\n"));
        var again = await _docker.RunAsync("kill", name);
        Assert.That(again.ExitCode, Is.Not.Zero);
        Assert.That(again.Stderr, Does.Contain("is not running"));

        Assert.That((await _docker.RunAsync("start", name)).ExitCode, Is.Zero);
        var rm = await _docker.RunAsync("rm", name);
        Assert.That(rm.ExitCode, Is.Not.Zero);
        Assert.That(rm.Stderr, Does.Contain("cannot remove a running container"));
        var forced = await _docker.RunAsync("rm", "-f", name);
        Assert.That(forced.ExitCode, Is.Zero, forced.ToString());
        Assert.That((await _docker.RunAsync("inspect", name)).ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task Logs()
    {
        string name = UniqueName("logs");
        var run = await _docker.RunAsync("run", "--name", name, "busybox", "sh", "-c", "echo first; echo second >&2");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var logs = await _docker.RunAsync("logs", name);
        Assert.That(logs.ExitCode, Is.Zero, logs.ToString());
        Assert.That(logs.Stdout, Is.EqualTo("first\n"));
        Assert.That(logs.Stderr, Is.EqualTo("second\n"));
        var stamped = await _docker.RunAsync("logs", "-t", "--tail", "1", name);
        Assert.That(stamped.Stdout + stamped.Stderr, Does.Match(@"^\d{4}-\d\d-\d\dT[0-9:.]+Z (first|second)\n$"));
        Assert.That((await _docker.RunAsync("rm", name)).ExitCode, Is.Zero);
    }

    [Test]
    public async Task The_local_log_driver_rotates_compressed_and_logs_reads_tail_since_and_until_across_files()
    {
        string name = UniqueName("local-log");
        var run = await _docker.RunAsync("run", "--name", name, "--log-driver", "local", "--log-opt", "max-size=10k", "--log-opt", "max-file=3",
            "busybox", "sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done; sleep 1; echo late 1; echo late 2 >&2");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string id = (await _docker.RunAsync("inspect", "--format", "{{.Id}}", name)).Stdout.Trim();
        string logs = Path.Combine(Daemon.DataRoot, "containers", id, "local-logs");
        Assert.That(Directory.GetFiles(logs).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "container.log", "container.log.1.gz", "container.log.2.gz" }));
        foreach (string file in Directory.GetFiles(logs))
            Assert.That(new FileInfo(file).Length, Is.LessThan(10 * 1024 + 100), file);

        var tail = await _docker.RunAsync("logs", "--tail", "3", name);
        Assert.That((tail.Stdout, tail.Stderr), Is.EqualTo(("line 2999\nlate 1\n", "late 2\n")), tail.ToString());
        var all = await _docker.RunAsync("logs", name);
        var lines = all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int first = int.Parse(lines[0].Split(' ')[1]);
        Assert.That(lines, Is.EqualTo(Enumerable.Range(first, 3000 - first).Select(i => $"line {i}").Append("late 1")), "every kept line, in order, across the gzipped files");
        Assert.That(first, Is.GreaterThan(0), "the oldest lines were rotated away");

        var stamped = await _docker.RunAsync("logs", "-t", "--tail", "2", name);
        string late1 = stamped.Stdout.Split(' ')[0];
        var since = await _docker.RunAsync("logs", "--since", late1, name);
        Assert.That((since.Stdout, since.Stderr), Is.EqualTo(("late 1\n", "late 2\n")), since.ToString());
        string before = DateTime.Parse(late1, null, System.Globalization.DateTimeStyles.AdjustToUniversal).AddMilliseconds(-500).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        var until = await _docker.RunAsync("logs", "--until", before, name);
        Assert.That(until.Stdout, Does.EndWith("line 2999\n").And.Not.Contain("late"), until.ToString());
        Assert.That((await _docker.RunAsync("rm", name)).ExitCode, Is.Zero);
    }

    [Test]
    public async Task LogsFollowStreamsARunningContainer()
    {
        string name = UniqueName("ticker");
        var run = await _docker.RunAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var process = Process.Start(_docker.StartInfo("logs", "-f", name))!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? first = await process.StandardOutput.ReadLineAsync(cts.Token);
            string? second = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.That(first, Is.EqualTo("line 0"));
            Assert.That(second, Is.EqualTo("line 1"));
            string? later = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.That(later, Does.StartWith("line "), "still following");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var rm = await _docker.RunAsync("rm", "-f", name);
        Assert.That(rm.ExitCode, Is.Zero, rm.ToString());
    }

    [Test]
    public async Task RmiWorksOnceNoContainerUsesTheImage()
    {
        var load = await _docker.RunAsync("load", "-i", Berth.TestImages.TestImages.Ensure().LayeredDockerArchive);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
        string name = UniqueName("user");
        Assert.That((await _docker.RunAsync("create", "--name", name, "busybox-layers", "true")).ExitCode, Is.Zero);
        var refused = await _docker.RunAsync("rmi", "busybox-layers");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("must force"));
        Assert.That((await _docker.RunAsync("rm", name)).ExitCode, Is.Zero);
        var rmi = await _docker.RunAsync("rmi", "busybox-layers");
        Assert.That(rmi.ExitCode, Is.Zero, rmi.ToString());
        Assert.That(rmi.Stdout, Does.Contain("Untagged: busybox-layers:latest").And.Contain("Deleted: sha256:"));
    }
}
