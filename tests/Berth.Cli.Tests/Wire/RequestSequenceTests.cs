using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Berth.Cli.Tests.Wire;

/// <summary>
/// The published berth and the real docker CLI against the same recording stub: the same requests, in the
/// same order, on the same connections (docker-api-notes §2), and the same output and exit code.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RequestSequenceTests
{
    private static readonly string LoadArchive = Path.Combine(Path.GetTempPath(), "berth-cli-stub-load.tar");

    /// <summary>Commands whose stdout (and stderr, with "docker" read as "berth") must match docker's too.</summary>
    private static readonly string[][] SameOutput =
    [
        ["run", "--rm", "busybox", "echo", "hello"],
        ["run", "-d", "--name", "web", "busybox", "sleep", "1000"],
        ["run", "--rm", "missing:1", "echo", "hi"],
        ["create", "--name", "web", "busybox"],
        ["start", "web"],
        ["start", "-a", "web"],
        ["ps"],
        ["ps", "-a", "-q", "--no-trunc"],
        ["ps", "-f", "status=running", "-f", "name=web"],
        ["ps", "--format", "json"],
        ["images"],
        ["images", "-q"],
        ["images", "--format", "json"],
        ["logs", "web"],
        ["logs", "-f", "-t", "--tail", "5", "web"],
        ["stop", "web"],
        ["stop", "-t", "3", "web"],
        ["kill", "web"],
        ["kill", "-s", "HUP", "web"],
        ["rm", "web"],
        ["rm", "-f", "web"],
        ["wait", "web"],
        ["inspect", "web"],
        ["inspect", "--format", "json", "web"],
        ["rmi", "busybox"],
        ["rmi", "-f", "busybox"],
        ["exec", "web", "echo", "hi"],
        ["exec", "-d", "web", "echo", "hi"],
        ["exec", "nope", "echo", "hi"],
        ["top", "web"],
        ["top", "web", "-o", "pid,comm"],
        ["pause", "web"],
        ["unpause", "web"],
        ["restart", "web"],
        ["restart", "-t", "3", "-s", "KILL", "web"],
        ["rename", "web", "db"],
        ["diff", "web"],
        ["export", "web"],
        ["stats", "--no-stream", "web"],
        ["stats", "--no-stream", "--no-trunc", "--format", "json", "web"],
        ["stats", "--no-stream"],
        ["events", "--since", "1700000000", "--until", "1700000100"],
        ["events", "--since", "2023-11-14T22:13:20Z", "--until", "1700000100.5", "-f", "type=container", "-f", "container=web"],
        ["events", "--until", "1700000100", "--format", "json"],
        ["cp", "web:/etc/hostname", "-"],
        ["cp", "web:/nope", "-"],
        ["history", "busybox"],
        ["image", "history", "--no-trunc", "-H=false", "busybox"],
        ["history", "--format", "json", "busybox"],
        ["save", "busybox", "web:1"],
        ["commit", "web"],
        ["commit", "-a", "me", "-m", "msg", "-c", "ENV A=1", "-c", "CMD [\"sh\"]", "--pause=false", "web", "mine:v1"],
        ["system", "df"],
        ["system", "df", "-v"],
        ["system", "df", "--format", "json"],
        ["container", "prune", "-f", "--filter", "until=1h"],
        ["image", "prune", "-f"],
        ["image", "prune", "-a", "-f", "--filter", "label=a"],
        ["network", "prune", "-f"],
        ["volume", "prune", "-a", "-f"],
        ["system", "prune", "-f"],
        ["system", "prune", "-a", "--volumes", "-f", "--filter", "label=x"],
    ];

    /// <summary>Commands whose requests must match; their text differs by design (client name and version).</summary>
    private static readonly string[][] SameRequests =
    [
        ["version"],
        ["info"],
        ["load", "-i", LoadArchive],
    ];

    [OneTimeSetUp]
    public void RequireDocker()
    {
        if (CliProcess.DockerPath is null)
            Assert.Ignore("skipped: the docker CLI is not on PATH, nothing to compare with");
        File.WriteAllBytes(LoadArchive, new byte[10240]);
    }

    [TestCaseSource(nameof(SameOutput))]
    public async Task SameRequestsAndOutputAsDocker(string[] args)
    {
        var (berth, docker) = await RunBothAsync(args, stdin: null, exitCode: 0);
        TestContext.Out.WriteLine(string.Join("\n", berth.Requests));
        Assert.That(berth.Requests, Is.EqualTo(docker.Requests), Explain(berth, docker));
        Assert.That(berth.Result.ExitCode, Is.EqualTo(docker.Result.ExitCode), Explain(berth, docker));
        Assert.That(berth.Result.Stdout, Is.EqualTo(docker.Result.Stdout), Explain(berth, docker));
        Assert.That(berth.Result.Stderr, Is.EqualTo(CliProcess.AsBerth(docker.Result.Stderr)), Explain(berth, docker));
    }

    [TestCaseSource(nameof(SameRequests))]
    public async Task SameRequestsAsDocker(string[] args)
    {
        var (berth, docker) = await RunBothAsync(args, stdin: null, exitCode: 0);
        Assert.That(berth.Requests, Is.EqualTo(docker.Requests), Explain(berth, docker));
        Assert.That(berth.Result.ExitCode, Is.EqualTo(docker.Result.ExitCode), Explain(berth, docker));
    }

    [Test]
    public async Task RunInteractiveSendsStdinAndItsEndBeforeStart()
    {
        var (berth, docker) = await RunBothAsync(["run", "-i", "--rm", "busybox", "cat"], stdin: "a\nb\n", exitCode: 0);
        Assert.That(berth.Requests, Is.EqualTo(docker.Requests), Explain(berth, docker));
        Assert.That(berth.Requests, Has.Some.Contains("attach?stderr=1&stdin=1&stdout=1&stream=1"));
        // Whether stdin and its EOF reach the daemon before /start is a race in docker too (the copy runs beside
        // create, wait and start); berthd buffers both either way (docker-api-notes §2).
        TestContext.Out.WriteLine($"stdin closed before start: berth {berth.StdinClosedBeforeStart}, docker {docker.StdinClosedBeforeStart}");
        Assert.That(berth.Result.Stdout, Is.EqualTo("a\nb\n"));
        Assert.That(berth.Result.Stderr, Is.EqualTo("to stderr\n"));
    }

    [Test]
    public async Task RunExitsWithTheContainersCode()
    {
        var (berth, docker) = await RunBothAsync(["run", "--rm", "busybox", "sh", "-c", "exit 3"], stdin: null, exitCode: 3);
        Assert.That(berth.Result.ExitCode, Is.EqualTo(3));
        Assert.That(docker.Result.ExitCode, Is.EqualTo(3));
        Assert.That(berth.Requests, Is.EqualTo(docker.Requests));
    }

    [Test]
    public async Task RunSendsTheSameCreateBody()
    {
        string[] args = ["run", "--rm", "--name", "web", "-e", "A=1", "-w", "/tmp", "-u", "1000", "--entrypoint", "/bin/sh", "-h", "box",
            "-v", "/srv:/data:ro", "-m", "32m", "--cpus", "1.5", "--pids-limit", "100", "--read-only", "--cap-add", "net_admin",
            "--cap-drop", "MKNOD", "--privileged", "--security-opt", "no-new-privileges", "--init", "-t", "busybox", "-c", "echo hi"];
        var (berth, docker) = await RunBothAsync(args, stdin: null, exitCode: 0);
        Assert.That(JsonDiff.Differences(JsonNode.Parse(docker.CreateBody!), JsonNode.Parse(berth.CreateBody!)), Is.Empty,
            $"berth:\n{berth.CreateBody}\ndocker:\n{docker.CreateBody}");
    }

    [Test]
    public async Task SigtermIsForwardedToTheContainerOnTheStartConnection()
    {
        var berth = RunAsync(CliProcess.BerthPath, ["run", "--rm", "busybox", "sleep", "1000"], null, 0, untilKilled: true);
        var docker = RunAsync(CliProcess.DockerPath!, ["run", "--rm", "busybox", "sleep", "1000"], null, 0, untilKilled: true);
        var (b, d) = (await berth, await docker);
        Assert.That(b.Requests.Last(), Does.EndWith("/kill?signal=TERM"), Explain(b, d));
        Assert.That(b.Requests, Is.EqualTo(d.Requests), Explain(b, d));
        Assert.That((b.Result.ExitCode, d.Result.ExitCode), Is.EqualTo((143, 143)));
    }

    [Test]
    public async Task ExecSendsTheSameBodiesAndExitsWithTheExecsCode()
    {
        string[] args = ["exec", "-i", "-u", "1000:1000", "-w", "/tmp", "-e", "A=1", "-e", "B=<&>", "--privileged", "web", "sh", "-c", "cat; exit 3"];
        var (berth, docker) = await RunBothAsync(args, stdin: "typed\n", exitCode: 0, execExitCode: 3);
        Assert.That(berth.Requests, Is.EqualTo(docker.Requests), Explain(berth, docker));
        Assert.That((berth.Result.ExitCode, docker.Result.ExitCode), Is.EqualTo((3, 3)), Explain(berth, docker));
        Assert.That(berth.Result.Stdout, Is.EqualTo("exec output\ntyped\n"));
        Assert.That(berth.Bodies.Select(b => b.Body), Is.EqualTo(docker.Bodies.Select(b => b.Body)), "exec create and start bodies, byte for byte");
        Assert.That(berth.Bodies[1].Body, Is.EqualTo("{\"Detach\":false,\"Tty\":false}\n"));
    }

    [Test]
    public async Task AttachWaitsFirstAndExitsWithTheContainersCode()
    {
        var (berth, docker) = await RunBothAsync(["attach", "web"], stdin: null, exitCode: 5, alreadyRunning: true);
        Assert.That(berth.Requests, Is.EqualTo(docker.Requests), Explain(berth, docker));
        Assert.That(berth.Requests[1], Does.EndWith("POST /v1.50/containers/web/wait"));
        Assert.That((berth.Result.ExitCode, berth.Result.Stdout, berth.Result.Stderr), Is.EqualTo((docker.Result.ExitCode, docker.Result.Stdout, docker.Result.Stderr)),
            Explain(berth, docker));
        Assert.That(berth.Result.ExitCode, Is.EqualTo(5));
    }

    [TestCase("web:/etc", "out")]
    [TestCase("web:/etc", "")]
    [TestCase("web:/etc/.", "out")]
    [TestCase("web:/etc/.", "")]
    [TestCase("web:/etc/hostname", "name")]
    [TestCase("web:/etc/hostname", "")]
    [TestCase("web:/etc/hostname", "missing/")]
    [TestCase("web:/nope", "")]
    public async Task CpFromAContainerWritesTheSameTree(string source, string destination)
    {
        var runs = new List<(Run Run, string Root)>();
        foreach (string client in new[] { CliProcess.BerthPath, CliProcess.DockerPath! })
        {
            string root = Directory.CreateTempSubdirectory("berth-cli-cp-").FullName;
            try
            {
                var run = await RunAsync(client, ["cp", source, Path.Combine(root, destination)], null, 0);
                runs.Add((run with { Result = run.Result with { Stderr = run.Result.Stderr.Replace(root, "ROOT") } }, Tree(root)));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
        var (berth, docker) = (runs[0], runs[1]);
        Assert.That(berth.Run.Requests, Is.EqualTo(docker.Run.Requests), Explain(berth.Run, docker.Run));
        Assert.That(berth.Root, Is.EqualTo(docker.Root), "the files written");
        Assert.That((berth.Run.Result.ExitCode, berth.Run.Result.Stderr), Is.EqualTo((docker.Run.Result.ExitCode, CliProcess.AsBerth(docker.Run.Result.Stderr))),
            Explain(berth.Run, docker.Run));
    }

    [TestCase("dir", "web:/data")]
    [TestCase("dir/.", "web:/data")]
    [TestCase("dir", "web:/new")]
    [TestCase("dir/file", "web:/etc/hostname")]
    [TestCase("dir/file", "web:/etc")]
    [TestCase("dir/file", "web:/link")]
    [TestCase("dir/file", "web:/newdir/")]
    [TestCase("dir", "web:/etc/hostname")]
    [TestCase("nothing", "web:/data")]
    public async Task CpToAContainerSendsTheSameArchive(string source, string destination)
    {
        var runs = new List<Run>();
        foreach (string client in new[] { CliProcess.BerthPath, CliProcess.DockerPath! })
        {
            string root = Directory.CreateTempSubdirectory("berth-cli-cp-").FullName;
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "dir", "sub"));
                File.WriteAllText(Path.Combine(root, "dir", "file"), "content\n");
                File.WriteAllText(Path.Combine(root, "dir", "sub", "deep"), "deeper\n");
                File.CreateSymbolicLink(Path.Combine(root, "dir", "link"), "file");
                var run = await RunAsync(client, ["cp", Path.Combine(root, source), destination], null, 0);
                runs.Add(run with { Result = run.Result with { Stderr = run.Result.Stderr.Replace(root, "ROOT") } });
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
        var (berth, docker) = (runs[0], runs[1]);
        Assert.That(berth.Requests, Is.EqualTo(docker.Requests), Explain(berth, docker));
        Assert.That(berth.Bodies.Select(b => b.Body), Is.EqualTo(docker.Bodies.Select(b => b.Body)), "the archive entries uploaded");
        // docker may log its own tar writer's "closed pipe" when the copy is refused; that noise is not part of the answer.
        string dockerStderr = string.Concat(docker.Result.Stderr.Split('\n').Where(l => !l.StartsWith("time=\"")).Select(l => l + "\n"))[..^1];
        Assert.That((berth.Result.ExitCode, berth.Result.Stderr), Is.EqualTo((docker.Result.ExitCode, CliProcess.AsBerth(dockerStderr))), Explain(berth, docker));
    }

    /// <summary>Every path below <paramref name="root"/> with its type, mode and content, one per line.</summary>
    private static string Tree(string root) => string.Join("\n", Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(path =>
        {
            var info = new FileInfo(path);
            string relative = Path.GetRelativePath(root, path);
            if (info.LinkTarget is { } target)
                return $"{relative} -> {target}";
            if (Directory.Exists(path))
                return $"{relative}/ {File.GetUnixFileMode(path)}";
            return $"{relative} {File.GetUnixFileMode(path)} {File.ReadAllText(path).Trim()} {info.LastWriteTimeUtc:O}";
        }));

    private sealed record Run(CliProcess.Result Result, List<string> Requests, string? CreateBody, bool StdinClosedBeforeStart, string? StdinBeforeStart,
        List<(string Request, string Body)> Bodies);

    private static async Task<(Run Berth, Run Docker)> RunBothAsync(string[] args, string? stdin, int exitCode, int execExitCode = 0, bool alreadyRunning = false)
    {
        var berth = RunAsync(CliProcess.BerthPath, args, stdin, exitCode, execExitCode: execExitCode, alreadyRunning: alreadyRunning);
        var docker = RunAsync(CliProcess.DockerPath!, args, stdin, exitCode, execExitCode: execExitCode, alreadyRunning: alreadyRunning);
        return (await berth, await docker);
    }

    private static async Task<Run> RunAsync(string executable, string[] args, string? stdin, int exitCode, bool untilKilled = false, int execExitCode = 0,
        bool alreadyRunning = false)
    {
        await using var stub = new StubDaemon { ExitCode = exitCode, RunUntilKilled = untilKilled, ExecExitCode = execExitCode, AlreadyRunning = alreadyRunning };
        string config = Directory.CreateTempSubdirectory("berth-cli-docker-config-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                [Path.GetFileName(executable) == "docker" ? "DOCKER_HOST" : "BERTH_HOST"] = stub.Host,
                ["DOCKER_CONFIG"] = config,
                ["TZ"] = "UTC",
            };
            var result = await CliProcess.RunAsync(executable, args, environment, stdin, null, async (process, _) =>
            {
                if (!untilKilled)
                    return;
                await stub.Started;
                await Task.Delay(200);
                Signals.Send(process.Id, Signals.SIGTERM);
            });
            return new Run(result, stub.Requests, stub.CreateBody, stub.StdinClosedBeforeStart, stub.StdinBeforeStart, stub.Bodies);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static string Explain(Run berth, Run docker) =>
        $"\nberth requests:\n  {string.Join("\n  ", berth.Requests)}\n{berth.Result}\n\ndocker requests:\n  {string.Join("\n  ", docker.Requests)}\n{docker.Result}";
}
