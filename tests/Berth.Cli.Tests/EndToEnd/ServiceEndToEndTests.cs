using NUnit.Framework;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// Issue 16's container half through the published berth and the real docker CLI against one berthd: `--restart`,
/// `--health-*` with `ps` and `--filter health=`, and `update`. Each test removes what it created.
/// </summary>
[NonParallelizable]
public sealed class ServiceEndToEndTests
{
    private Berthd _daemon = null!;
    private string _dockerConfig = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        _daemon = await Berthd.StartAsync();
        _dockerConfig = Directory.CreateTempSubdirectory("berth-cli-docker-config-").FullName;
        var load = await Berth("load", "-i", global::Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_daemon is not null)
        {
            await Berth("rm", "-f", "svc-fail", "svc-health", "svc-update", "svc-docker");
            await _daemon.DisposeAsync();
        }
        if (_dockerConfig is not null)
            Directory.Delete(_dockerConfig, recursive: true);
    }

    private Task<CliProcess.Result> Berth(params string[] args) =>
        CliProcess.RunAsync(CliProcess.BerthPath, args, new Dictionary<string, string> { ["BERTH_HOST"] = _daemon.Host });

    private Task<CliProcess.Result> Docker(params string[] args) =>
        CliProcess.RunAsync(CliProcess.DockerPath!, args, new Dictionary<string, string> { ["DOCKER_HOST"] = _daemon.Host, ["DOCKER_CONFIG"] = _dockerConfig });

    /// <summary>Polls `berth inspect --format` until it prints <paramref name="expected"/> (at most 60 s: a bound for a stuck engine).</summary>
    private async Task<string> UntilAsync(string container, string format, Func<string, bool> expected)
    {
        string last = "";
        for (int i = 0; i < 600; i++)
        {
            last = (await Berth("inspect", "--format", format, container)).Stdout.Trim();
            if (expected(last))
                return last;
            await Task.Delay(100);
        }
        Assert.Fail($"{container}: {format} is still {last}");
        return last;
    }

    [Test]
    public async Task OnFailureRestartsTwiceAndRmWithRestartIsRefused()
    {
        var run = await Berth("run", "-d", "--name", "svc-fail", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 7");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await UntilAsync("svc-fail", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", s => s == "exited 2 7");
        Assert.That((await Berth("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", "svc-fail")).Stdout,
            Is.EqualTo("on-failure:2\n"));
        Assert.That((await Berth("rm", "svc-fail")).ExitCode, Is.Zero);

        var conflict = await Berth("run", "--rm", "--restart", "always", "busybox", "true");
        Assert.That(conflict.ExitCode, Is.EqualTo(125), conflict.ToString());
        Assert.That(conflict.Stderr, Does.Contain("conflicting options: cannot specify both --restart and --rm"));
    }

    [Test]
    public async Task HealthShowsInPsAndItsFilter()
    {
        var run = await Berth("run", "-d", "--name", "svc-health", "--health-cmd", "test -f /ok", "--health-interval", "100ms", "--health-retries", "1",
            "busybox", "sh", "-c", "touch /ok; exec sleep 1000");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await UntilAsync("svc-health", "{{.State.Health.Status}}", s => s == "healthy");
        var ps = await Berth("ps", "--filter", "health=healthy", "--format", "{{.Names}} {{.Status}}");
        Assert.That(ps.Stdout, Does.Match("^svc-health Up .* \\(healthy\\)\n$"), ps.ToString());
        Assert.That((await Berth("exec", "svc-health", "rm", "/ok")).ExitCode, Is.Zero);
        await UntilAsync("svc-health", "{{.State.Health.Status}}", s => s == "unhealthy");
        Assert.That((await Berth("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}")).Stdout, Is.EqualTo("svc-health\n"));
        var conflict = await Berth("run", "--no-healthcheck", "--health-cmd", "true", "busybox", "true");
        Assert.That(conflict.ExitCode, Is.EqualTo(125), conflict.ToString());
        Assert.That((await Berth("rm", "-f", "svc-health")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task UpdateChangesLimitsAndPolicy()
    {
        Assert.That((await Berth("run", "-d", "--name", "svc-update", "-m", "64m", "busybox", "sleep", "1000")).ExitCode, Is.Zero);
        var update = await Berth("update", "-m", "128m", "--pids-limit", "40", "--restart", "unless-stopped", "svc-update");
        Assert.That(update.ExitCode, Is.Zero, update.ToString());
        Assert.That(update.Stdout, Is.EqualTo("svc-update\n"));
        Assert.That((await Berth("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}", "svc-update")).Stdout,
            Is.EqualTo("134217728 40 unless-stopped\n"));
        Assert.That((await Berth("exec", "svc-update", "sh", "-c", "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max")).Stdout, Is.EqualTo("40\n"));
        var none = await Berth("update", "svc-update");
        Assert.That(none.ExitCode, Is.EqualTo(1), none.ToString());
        var missing = await Berth("update", "-m", "128m", "nope");
        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
        Assert.That((await Berth("rm", "-f", "svc-update")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task TheDockerCliRunsRestartsAndUpdates()
    {
        if (CliProcess.DockerPath is null)
            Assert.Ignore("the docker CLI is not on PATH");
        var run = await Docker("run", "-d", "--name", "svc-docker", "--restart", "always", "--health-cmd", "true", "--health-interval", "100ms",
            "busybox", "sh", "-c", "sleep 0.3");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await UntilAsync("svc-docker", "{{.RestartCount}}", s => int.TryParse(s, out int n) && n >= 2);
        var update = await Docker("update", "--restart", "no", "--cpus", "0.5", "svc-docker");
        Assert.That(update.ExitCode, Is.Zero, update.ToString());
        Assert.That(update.Stdout, Is.EqualTo("svc-docker\n"));
        await UntilAsync("svc-docker", "{{.State.Status}}", s => s == "exited");
        var inspect = await Docker("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.NanoCpus}} {{json .Config.Healthcheck.Test}}", "svc-docker");
        Assert.That(inspect.Stdout, Is.EqualTo("no 500000000 [\"CMD-SHELL\",\"true\"]\n"), inspect.ToString());
        Assert.That((await Docker("rm", "svc-docker")).ExitCode, Is.Zero);
    }
}
