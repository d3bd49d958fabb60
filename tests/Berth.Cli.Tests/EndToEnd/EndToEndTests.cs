using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// The published berth against a real berthd (one per fixture), each command mirrored with the real docker
/// CLI on the same daemon where that is cheap: same output and exit code.
/// </summary>
[NonParallelizable]
public sealed class EndToEndTests
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
        Assert.That(load.Stdout, Is.EqualTo("Loaded image: busybox:latest\n"));
        Assert.That(load.Stderr, Is.Empty);
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_daemon is not null)
        {
            await Berth("rm", "-f", "web", "tick", "trapper", "created", "oci-user");
            await _daemon.DisposeAsync();
        }
        if (_dockerConfig is not null)
            Directory.Delete(_dockerConfig, recursive: true);
    }

    [Test]
    public async Task VersionShowsClientAndServer()
    {
        var berth = await Berth("version");
        Assert.That(berth.ExitCode, Is.Zero, berth.ToString());
        Assert.That(berth.Stdout, Does.StartWith("Client:\n Version:           0.1.0\n API version:       1.50\n"));
        Assert.That(berth.Stdout, Does.Contain("\nServer: Berth\n Engine:\n  Version:          0.1.0\n  API version:      1.50 (minimum version 1.40)\n"));
        if (await Docker("version") is { } docker)
            Assert.That(docker.ExitCode, Is.Zero, docker.ToString());
    }

    [Test]
    public async Task InfoPrintsTheServerAsDockerDoes()
    {
        var berth = await Berth("info");
        Assert.That(berth.ExitCode, Is.Zero, berth.ToString());
        Assert.That(berth.Stdout, Does.Contain("\nServer:\n Containers: "));
        Assert.That(berth.Stdout, Does.Contain("\n Storage Driver: overlay2\n"));
        Assert.That(berth.Stdout, Does.Contain($"\n Docker Root Dir: {_daemon.DataRoot}\n"));
        if (await Docker("info") is not { } docker)
            return;
        Assert.That(docker.ExitCode, Is.Zero, docker.ToString());
        var dockerLines = docker.Stdout.Split('\n').SkipWhile(l => l != "Server:").ToHashSet();
        var berthLines = berth.Stdout.Split('\n').SkipWhile(l => l != "Server:").ToList();
        Assert.That(berthLines.Where(l => !dockerLines.Contains(l) && !l.StartsWith(" Containers:") && !l.StartsWith("  Running:")
                                          && !l.StartsWith("  Stopped:") && !l.StartsWith(" Images:")), Is.Empty, "lines docker prints otherwise");
    }

    [Test]
    public async Task LoadAndImagesMatchDocker()
    {
        var berth = await Berth("load", "-i", global::Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
        Assert.That((berth.ExitCode, berth.Stdout), Is.EqualTo((0, "Loaded image: busybox:latest\n")), berth.ToString());
        var images = await Berth("images");
        Assert.That(images.Stdout, Does.StartWith("REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\nbusybox      latest    "));
        if (await Docker("load", "-i", global::Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive) is { } dockerLoad)
            Assert.That((dockerLoad.ExitCode, dockerLoad.Stdout), Is.EqualTo((berth.ExitCode, berth.Stdout)));
        await ExpectSameAsDocker(images, "images");
        await ExpectSameAsDocker(await Berth("images", "--format", "json"), "images", "--format", "json");
        await ExpectSameAsDocker(await Berth("images", "-q"), "images", "-q");
    }

    [Test]
    public async Task RunPrintsTheOutputAndExitsWithTheContainersCode()
    {
        await ExpectSameAsDocker(await Expect(0, "hi\n", "run", "--rm", "busybox", "echo", "hi"), "run", "--rm", "busybox", "echo", "hi");
        await ExpectSameAsDocker(await Expect(3, "", "run", "--rm", "busybox", "sh", "-c", "exit 3"), "run", "--rm", "busybox", "sh", "-c", "exit 3");
        var stderr = await Berth("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2");
        Assert.That((stderr.Stdout, stderr.Stderr), Is.EqualTo(("out\n", "err\n")));
    }

    [Test]
    public async Task DnsFlagsAndAddHostGoIntoTheContainersFiles()
    {
        string[] args = ["run", "--rm", "--dns", "192.0.2.53", "--dns-search", "example.test", "--dns-option", "ndots:3",
            "--add-host", "db.local:10.1.2.3", "--add-host", "cache=10.1.2.4", "busybox", "sh", "-c", "cat /etc/resolv.conf; grep -E 'db.local|cache' /etc/hosts"];
        var berth = await Expect(0, "nameserver 192.0.2.53\nsearch example.test\noptions ndots:3\n10.1.2.3\tdb.local\n10.1.2.4\tcache\n", args);
        await ExpectSameAsDocker(berth, args);
        await ExpectRefusedAsDocker(
            ["run", "--rm", "--add-host", "db.local:not-an-ip", "busybox", "true"],
            ["run", "--rm", "--dns", "nowhere", "busybox", "true"],
            ["run", "--rm", "--link", "a:b:c", "busybox", "true"]);
    }

    [Test]
    public async Task PortRangesAreCheckedAsTheDockerCliChecksThem()
    {
        var mismatch = await Berth("run", "--rm", "-p", "8000-8001:80-82", "busybox", "true");
        Assert.That((mismatch.ExitCode, mismatch.Stderr), Is.EqualTo((125,
            "berth: invalid ranges specified for container and host Ports: 80-82 and 8000-8001\n\nRun 'berth run --help' for more information\n")));
        await ExpectSameAsDocker(mismatch, "run", "--rm", "-p", "8000-8001:80-82", "busybox", "true");
        await ExpectRefusedAsDocker(
            ["run", "--rm", "-p", "abc", "busybox", "true"],
            ["run", "--rm", "--expose", "5:6", "busybox", "true"],
            ["run", "--rm", "--expose", "9-5", "busybox", "true"]);
    }

    /// <summary>Each command fails with exit 125 and exactly the docker CLI's output.</summary>
    private async Task ExpectRefusedAsDocker(params string[][] commands)
    {
        foreach (string[] command in commands)
        {
            var bad = await Berth(command);
            Assert.That(bad.ExitCode, Is.EqualTo(125), bad.ToString());
            await ExpectSameAsDocker(bad, command);
        }
    }

    [Test]
    public async Task RunOfAMissingCommandExits127()
    {
        var berth = await Berth("run", "--rm", "busybox", "nope");
        Assert.That(berth.ExitCode, Is.EqualTo(127), berth.ToString());
        Assert.That(berth.Stderr, Does.StartWith("berth: Error response from daemon: ").And.Contain("executable file not found")
            .And.EndWith("\n\nRun 'berth run --help' for more information\n"));
        await ExpectSameAsDocker(berth, "run", "--rm", "busybox", "nope");
    }

    [Test]
    public async Task RunInteractiveCopiesStdin()
    {
        var berth = await CliProcess.RunAsync(CliProcess.BerthPath, ["run", "-i", "--rm", "busybox", "cat"], BerthEnvironment, "hi\n");
        Assert.That((berth.ExitCode, berth.Stdout), Is.EqualTo((0, "hi\n")), berth.ToString());
        if (CliProcess.DockerPath is { } docker)
        {
            var mirror = await CliProcess.RunAsync(docker, ["run", "-i", "--rm", "busybox", "cat"], DockerEnvironment, "hi\n");
            Assert.That((mirror.ExitCode, mirror.Stdout), Is.EqualTo((0, "hi\n")), mirror.ToString());
        }
    }

    [Test]
    public async Task RunOfAMissingImageTriesToPull()
    {
        var berth = await Berth("run", "--rm", "missing:1", "echo", "hi");
        Assert.That(berth.ExitCode, Is.EqualTo(125), berth.ToString());
        Assert.That(berth.Stderr, Does.StartWith("Unable to find image 'missing:1' locally\nberth: Error response from daemon: "));
        await ExpectSameAsDocker(berth, "run", "--rm", "missing:1", "echo", "hi");
    }

    [Test]
    public async Task DetachedContainerLifecycle()
    {
        var run = await Berth("run", "-d", "--name", "web", "busybox", "sleep", "1000");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string id = run.Stdout.Trim();
        Assert.That(id, Does.Match("^[0-9a-f]{64}$"));

        var ps = await Berth("ps");
        Assert.That(ps.Stdout, Does.StartWith("CONTAINER ID   IMAGE     COMMAND        CREATED   "));
        string row = ps.Stdout.Split('\n').Single(l => l.StartsWith(id[..12]));
        Assert.That(row, Does.Contain("   busybox   \"sleep 1000\"   ").And.Contain("   Up ").And.EndWith("   web"));
        Assert.That((await Berth("ps", "-a", "-q")).Stdout.Split('\n'), Does.Contain(id[..12]));
        Assert.That((await Berth("ps", "-q", "--no-trunc", "-f", "name=web")).Stdout, Is.EqualTo(id + "\n"));
        await ExpectSameAsDocker(await Berth("ps", "-a", "-q"), "ps", "-a", "-q");

        var json = await Berth("ps", "--format", "json", "-f", "name=web");
        var fields = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.That(((string)fields["Names"]!, (string)fields["State"]!, (string)fields["Command"]!), Is.EqualTo(("web", "running", "\"sleep 1000\"")));
        if (await Docker("ps", "--format", "json", "-f", "name=web") is { } dockerJson)
            Assert.That(WithoutTimes(dockerJson.Stdout), Is.EqualTo(WithoutTimes(json.Stdout)));

        var inspect = await Berth("inspect", "web");
        Assert.That(inspect.ExitCode, Is.Zero, inspect.ToString());
        var objects = JsonNode.Parse(inspect.Stdout)!.AsArray();
        Assert.That((string)objects.Single()!["State"]!["Status"]!, Is.EqualTo("running"));
        Assert.That(inspect.Stdout, Does.StartWith("[\n    {\n        \"Id\": \"" + id + "\",\n"));
        await ExpectSameAsDocker(inspect, "inspect", "web");
        await ExpectSameAsDocker(await Berth("inspect", "--format", "json", "web"), "inspect", "--format", "json", "web");
        Assert.That((await Berth("inspect", "-f", "{{.State.Status}} {{.Name}}", "web")).Stdout, Is.EqualTo("running /web\n"));

        var rm = await Berth("rm", "-f", "web");
        Assert.That((rm.ExitCode, rm.Stdout), Is.EqualTo((0, "web\n")), rm.ToString());
        var gone = await Berth("inspect", "web");
        Assert.That((gone.ExitCode, gone.Stdout, gone.Stderr), Is.EqualTo((1, "[]\n", "Error: No such object: web\n")));
        await ExpectSameAsDocker(gone, "inspect", "web");
    }

    [Test]
    public async Task LogsShowsAndFollowsOutput()
    {
        var run = await Berth("run", "-d", "--name", "tick", "busybox", "sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await Task.Delay(700);
        var logs = await Berth("logs", "tick");
        Assert.That(logs.Stdout, Does.StartWith("tick 0\ntick 1\n"), logs.ToString());
        var tail = await Berth("logs", "--tail", "1", "-t", "tick");
        Assert.That(tail.Stdout, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick \d+\n$"));

        foreach (string? client in new[] { CliProcess.BerthPath, CliProcess.DockerPath })
        {
            if (client is null)
                continue;
            var followed = await CliProcess.RunAsync(client, ["logs", "-f", "--tail", "0", "tick"],
                Path.GetFileName(client) == "docker" ? DockerEnvironment : BerthEnvironment, null, TimeSpan.FromSeconds(20),
                async (process, stdout) =>
                {
                    while (stdout().Split('\n').Count(l => l.StartsWith("tick ")) < 2)
                        await Task.Delay(20);
                    Signals.Send(process.Id, Signals.SIGTERM);
                });
            Assert.That(followed.Stdout, Does.Match(@"^tick \d+\ntick \d+\n"), followed.ToString());
            Assert.That(followed.ExitCode, Is.EqualTo(143), $"{client} logs -f ended by SIGTERM\n{followed}");
        }

        var stop = await Berth("stop", "-t", "1", "tick");
        Assert.That((stop.ExitCode, stop.Stdout), Is.EqualTo((0, "tick\n")), stop.ToString());
        var wait = await Berth("wait", "tick");
        Assert.That((wait.ExitCode, wait.Stdout), Is.EqualTo((0, "137\n")), "sh as pid 1 ignores SIGTERM, so stop kills it");
        await ExpectSameAsDocker(wait, "wait", "tick");
        await ExpectSameAsDocker(await Berth("ps", "-a", "-q", "-f", "status=exited", "-f", "name=tick"), "ps", "-a", "-q", "-f", "status=exited", "-f", "name=tick");
        Assert.That((await Berth("rm", "tick")).Stdout, Is.EqualTo("tick\n"));
    }

    [Test]
    public async Task KillSendsTheSignalAndWaitPrintsTheCode()
    {
        var run = await Berth("run", "-d", "--name", "trapper", "busybox", "sh", "-c", "trap 'exit 7' HUP; while true; do sleep 0.1; done");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await Task.Delay(500);
        var kill = await Berth("kill", "-s", "HUP", "trapper");
        Assert.That((kill.ExitCode, kill.Stdout), Is.EqualTo((0, "trapper\n")), kill.ToString());
        var wait = await Berth("wait", "trapper");
        Assert.That((wait.ExitCode, wait.Stdout), Is.EqualTo((0, "7\n")), wait.ToString());
        var again = await Berth("kill", "trapper");
        Assert.That(again.ExitCode, Is.EqualTo(1));
        await ExpectSameAsDocker(again, "kill", "trapper");
        Assert.That((await Berth("rm", "trapper")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task CreateThenStartAttached()
    {
        var create = await Berth("create", "--name", "created", "-e", "GREETING=hello", "busybox", "sh", "-c", "echo $GREETING; exit 4");
        Assert.That(create.Stdout, Does.Match("^[0-9a-f]{64}\n$"), create.ToString());
        var start = await Berth("start", "-a", "created");
        Assert.That((start.ExitCode, start.Stdout), Is.EqualTo((4, "hello\n")), start.ToString());
        await ExpectSameAsDocker(await Berth("start", "-a", "created"), "start", "-a", "created");
        var plain = await Berth("start", "created");
        Assert.That((plain.ExitCode, plain.Stdout), Is.EqualTo((0, "created\n")));
        await Berth("wait", "created");
        Assert.That((await Berth("rm", "created")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task RmiFailsWhileAnImageIsUsedThenRemovesIt()
    {
        var load = await Berth("load", "-i", global::Berth.TestImages.TestImages.Ensure().LayeredDockerArchive);
        Assert.That((load.ExitCode, load.Stdout), Is.EqualTo((0, "Loaded image: busybox-layers:latest\n")), load.ToString());
        const string reference = "busybox-layers:latest";
        var run = await Berth("run", "-d", "--name", "oci-user", reference, "sleep", "1000");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var refused = await Berth("rmi", reference);
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Stderr, Does.StartWith("Error response from daemon: conflict: "));
        await ExpectSameAsDocker(refused, "rmi", reference);
        Assert.That((await Berth("rm", "-f", "oci-user")).ExitCode, Is.Zero);
        var removed = await Berth("rmi", reference);
        Assert.That(removed.ExitCode, Is.Zero, removed.ToString());
        Assert.That(removed.Stdout, Does.StartWith($"Untagged: {reference}\n"));
        var missing = await Berth("rmi", reference);
        Assert.That(missing.ExitCode, Is.EqualTo(1));
        await ExpectSameAsDocker(missing, "rmi", reference);
    }

    [Test]
    public async Task AnUnreachableDaemonIsReportedAsDockerDoes()
    {
        var environment = new Dictionary<string, string> { ["BERTH_HOST"] = "unix:///var/tmp/berth-cli-test-nothing.sock" };
        var run = await CliProcess.RunAsync(CliProcess.BerthPath, ["run", "--rm", "busybox", "true"], environment);
        Assert.That(run.ExitCode, Is.EqualTo(125));
        Assert.That(run.Stderr, Is.EqualTo("berth: Cannot connect to the Berth daemon at unix:///var/tmp/berth-cli-test-nothing.sock. Is berthd running?\n\n"
                                           + "Run 'berth run --help' for more information\n"));
        var ps = await CliProcess.RunAsync(CliProcess.BerthPath, ["ps"], environment);
        Assert.That((ps.ExitCode, ps.Stderr), Is.EqualTo((1, "Cannot connect to the Berth daemon at unix:///var/tmp/berth-cli-test-nothing.sock. Is berthd running?\n")));
        var flag = await CliProcess.RunAsync(CliProcess.BerthPath, ["-H", "unix:///var/tmp/berth-cli-test-nothing.sock", "version"], new Dictionary<string, string>());
        Assert.That(flag.ExitCode, Is.EqualTo(1));
        Assert.That(flag.Stdout, Does.StartWith("Client:\n"));
        if (CliProcess.DockerPath is { } docker)
        {
            var dockerEnvironment = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///var/tmp/berth-cli-test-nothing.sock", ["DOCKER_CONFIG"] = _dockerConfig };
            Assert.That((await CliProcess.RunAsync(docker, ["run", "--rm", "busybox", "true"], dockerEnvironment)).ExitCode, Is.EqualTo(run.ExitCode));
            Assert.That((await CliProcess.RunAsync(docker, ["ps"], dockerEnvironment)).ExitCode, Is.EqualTo(ps.ExitCode));
        }
    }

    [Test]
    public async Task AnUnknownFlagIsAUsageErrorWith125()
    {
        var berth = await Berth("run", "--bogus", "busybox");
        Assert.That(berth.ExitCode, Is.EqualTo(125));
        Assert.That(berth.Stderr, Is.EqualTo("unknown flag: --bogus\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n"));
        await ExpectSameAsDocker(berth, "run", "--bogus", "busybox");
        await ExpectSameAsDocker(await Berth("ps", "-f", "bogus"), "ps", "-f", "bogus");
    }

    private Dictionary<string, string> BerthEnvironment => new() { ["BERTH_HOST"] = _daemon.Host };

    private Dictionary<string, string> DockerEnvironment => new() { ["DOCKER_HOST"] = _daemon.Host, ["DOCKER_CONFIG"] = _dockerConfig };

    private Task<CliProcess.Result> Berth(params string[] args) => CliProcess.RunAsync(CliProcess.BerthPath, args, BerthEnvironment);

    /// <summary>The docker CLI on the same daemon; null (and a note) when it is not installed.</summary>
    private async Task<CliProcess.Result?> Docker(params string[] args)
    {
        if (CliProcess.DockerPath is not { } docker)
        {
            TestContext.Out.WriteLine($"docker mirror of `{string.Join(' ', args)}` skipped: the docker CLI is not on PATH");
            return null;
        }
        return await CliProcess.RunAsync(docker, args, DockerEnvironment);
    }

    private async Task<CliProcess.Result> Expect(int exitCode, string stdout, params string[] args)
    {
        var result = await Berth(args);
        Assert.That((result.ExitCode, result.Stdout), Is.EqualTo((exitCode, stdout)), result.ToString());
        return result;
    }

    /// <summary>docker gives the same exit code, stdout and stderr (its own name read as berth's).</summary>
    private async Task ExpectSameAsDocker(CliProcess.Result berth, params string[] args)
    {
        if (await Docker(args) is not { } docker)
            return;
        Assert.That(berth.ExitCode, Is.EqualTo(docker.ExitCode), $"exit code of `{string.Join(' ', args)}`\nberth: {berth}\ndocker: {docker}");
        Assert.That(berth.Stdout, Is.EqualTo(docker.Stdout), $"stdout of `{string.Join(' ', args)}`");
        Assert.That(berth.Stderr, Is.EqualTo(CliProcess.AsBerth(docker.Stderr)), $"stderr of `{string.Join(' ', args)}`");
    }

    /// <summary>A ps JSON line without the fields that change from one second to the next.</summary>
    private static string WithoutTimes(string json)
    {
        var fields = JsonNode.Parse(json)!.AsObject();
        fields.Remove("RunningFor");
        fields.Remove("Status");
        return fields.ToJsonString();
    }
}
