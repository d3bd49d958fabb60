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
            "--cap-drop", "MKNOD", "--privileged", "--security-opt", "no-new-privileges", "busybox", "-c", "echo hi"];
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

    private sealed record Run(CliProcess.Result Result, List<string> Requests, string? CreateBody, bool StdinClosedBeforeStart, string? StdinBeforeStart);

    private static async Task<(Run Berth, Run Docker)> RunBothAsync(string[] args, string? stdin, int exitCode)
    {
        var berth = RunAsync(CliProcess.BerthPath, args, stdin, exitCode);
        var docker = RunAsync(CliProcess.DockerPath!, args, stdin, exitCode);
        return (await berth, await docker);
    }

    private static async Task<Run> RunAsync(string executable, string[] args, string? stdin, int exitCode, bool untilKilled = false)
    {
        await using var stub = new StubDaemon { ExitCode = exitCode, RunUntilKilled = untilKilled };
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
            return new Run(result, stub.Requests, stub.CreateBody, stub.StdinClosedBeforeStart, stub.StdinBeforeStart);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static string Explain(Run berth, Run docker) =>
        $"\nberth requests:\n  {string.Join("\n  ", berth.Requests)}\n{berth.Result}\n\ndocker requests:\n  {string.Join("\n  ", docker.Requests)}\n{docker.Result}";
}
