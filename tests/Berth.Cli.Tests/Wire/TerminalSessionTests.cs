using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Berth.Cli.Tests.Wire;

/// <summary>
/// berth and docker on a real pseudo-terminal against the recording stub: <c>run -it</c> and <c>exec -it</c> make the
/// same requests (the console size in the bodies, a resize right after start and one per SIGWINCH), keep the local
/// terminal raw while the session runs and give it back as it was; the detach keys leave without a word.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TerminalSessionTests
{
    [OneTimeSetUp]
    public void RequireDocker()
    {
        if (CliProcess.DockerPath is null)
            Assert.Ignore("skipped: the docker CLI is not on PATH, nothing to compare with");
    }

    [Test]
    public async Task RunItIsARawSessionSizedAndResizedLikeDockers()
    {
        var berth = SessionAsync(CliProcess.BerthPath, ["run", "-it", "--rm", "busybox", "sh"], exitCode: 3, resource: "/containers/");
        var docker = SessionAsync(CliProcess.DockerPath!, ["run", "-it", "--rm", "busybox", "sh"], exitCode: 3, resource: "/containers/");
        var (b, d) = (await berth, await docker);
        AssertSameRequests(b, d);
        Assert.That(b.Requests, Has.Some.EndsWith("/resize?h=30&w=100"));
        Assert.That(b.Requests, Has.Some.EndsWith("/kill?signal=WINCH"), "sig-proxy forwards SIGWINCH too, as docker's does");
        Assert.That((b.ExitCode, d.ExitCode), Is.EqualTo((3, 3)), Explain(b, d));
        Assert.That((string?)JsonNode.Parse(b.CreateBody!)!["HostConfig"]!["ConsoleSize"]!.ToJsonString(), Is.EqualTo("[30,100]"));
        Assert.That(b.Screen, Is.EqualTo(d.Screen), "what the terminal showed");
    }

    [Test]
    public async Task ExecItIsARawSessionSizedAndResizedLikeDockers()
    {
        var berth = SessionAsync(CliProcess.BerthPath, ["exec", "-it", "web", "sh"], exitCode: 0, resource: "/exec/", execExitCode: 4);
        var docker = SessionAsync(CliProcess.DockerPath!, ["exec", "-it", "web", "sh"], exitCode: 0, resource: "/exec/", execExitCode: 4);
        var (b, d) = (await berth, await docker);
        AssertSameRequests(b, d);
        Assert.That(b.Bodies, Is.EqualTo(d.Bodies), "exec create and start bodies");
        Assert.That(b.Bodies[0], Does.Contain("\"ConsoleSize\":[30,100]"));
        Assert.That((b.ExitCode, d.ExitCode), Is.EqualTo((4, 4)), Explain(b, d));
        Assert.That(b.Screen, Is.EqualTo(d.Screen), "what the terminal showed");
    }

    [Test]
    public async Task TheDetachKeysLeaveTheContainerRunning()
    {
        foreach (string client in new[] { CliProcess.BerthPath, CliProcess.DockerPath! })
        {
            await using var stub = new StubDaemon();
            await using var pty = PtyProcess.Start(client, ["run", "-it", "busybox", "sh"], Environment(client, stub), 30, 100);
            await pty.WaitForAsync("stub$ ");
            pty.Type("ab");
            await pty.WaitForAsync("stub$ ab");
            pty.Type("\u0010\u0011");
            int exitCode = await pty.WaitForExitAsync();
            Assert.That(exitCode, Is.Zero, $"{Path.GetFileName(client)}:\n{pty.Screen}");
            Assert.That(pty.Screen, Is.EqualTo("stub$ ab"), $"{Path.GetFileName(client)} prints nothing on detach");
            Assert.That(pty.Settings, Is.EqualTo(pty.SettingsBefore), $"{Path.GetFileName(client)} restored the terminal");
            Assert.That(stub.Requests.Last(), Does.Contain("/resize?h=30&w=100"), $"{Path.GetFileName(client)} sent nothing after the detach");
        }
    }

    [Test]
    public async Task CustomDetachKeysAreSentToTheDaemonToo()
    {
        var runs = new List<List<string>>();
        foreach (string client in new[] { CliProcess.BerthPath, CliProcess.DockerPath! })
        {
            await using var stub = new StubDaemon();
            await using var pty = PtyProcess.Start(client, ["run", "-it", "--detach-keys", "ctrl-a,x", "busybox", "sh"], Environment(client, stub), 30, 100);
            await pty.WaitForAsync("stub$ ");
            pty.Type("\u0010\u0011");
            await pty.WaitForAsync("stub$ \u0010\u0011");
            pty.Type("\u0001x");
            Assert.That(await pty.WaitForExitAsync(), Is.Zero, pty.Screen);
            Assert.That(pty.Screen, Is.EqualTo("stub$ \u0010\u0011"), "Ctrl-P Ctrl-Q pass through when other keys detach");
            runs.Add(stub.Requests);
        }
        Assert.That(runs[0], Is.EqualTo(runs[1]));
        Assert.That(runs[0], Has.Some.Contains("attach?detachKeys=ctrl-a%2Cx&stderr=1&stdin=1&stdout=1&stream=1"));
    }

    [TestCase("cp", "web:/etc", "ROOT/out")]
    [TestCase("cp", "ROOT/file", "web:/data")]
    [TestCase("export", "web")]
    [TestCase("exec", "-t", "web", "echo", "hi")]
    public async Task OtherVerbsOnATerminalPrintWhatDockerPrints(params string[] args)
    {
        var screens = new List<(string Screen, int ExitCode)>();
        foreach (string client in new[] { CliProcess.BerthPath, CliProcess.DockerPath! })
        {
            string root = Directory.CreateTempSubdirectory("berth-cli-pty-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(root, "file"), "content\n");
                await using var stub = new StubDaemon { AlreadyRunning = true };
                await using var pty = PtyProcess.Start(client, args.Select(a => a.Replace("ROOT", root)), Environment(client, stub), 30, 100);
                int exitCode = await pty.WaitForExitAsync();
                screens.Add((pty.Screen.Replace(root, "ROOT"), exitCode));
                Assert.That(pty.Settings, Is.EqualTo(pty.SettingsBefore));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
        Assert.That(screens[0], Is.EqualTo(screens[1]), "berth's screen and exit code, then docker's");
        TestContext.Out.WriteLine(screens[0].Screen);
    }

    /// <summary>
    /// The same requests on the same connections up to the first resize; after it the order of a SIGWINCH's
    /// resize and its forwarded kill is a race in docker too, so the rest is compared without order and connections.
    /// </summary>
    private static void AssertSameRequests(Session berth, Session docker)
    {
        int fixedPart = docker.Requests.FindIndex(r => r.Contains("/resize?")) + 1;
        Assert.That(berth.Requests.Take(fixedPart), Is.EqualTo(docker.Requests.Take(fixedPart)), Explain(berth, docker));
        static IEnumerable<string> Rest(Session session, int skip) => session.Requests.Skip(skip).Select(r => r[(r.IndexOf(' ') + 1)..]).Order(StringComparer.Ordinal);
        Assert.That(Rest(berth, fixedPart), Is.EqualTo(Rest(docker, fixedPart)), Explain(berth, docker));
    }

    private sealed record Session(List<string> Requests, List<string> Bodies, string? CreateBody, int ExitCode, string Screen);

    private static async Task<Session> SessionAsync(string client, string[] args, int exitCode, string resource, int execExitCode = 0)
    {
        await using var stub = new StubDaemon { ExitCode = exitCode, ExecExitCode = execExitCode, AlreadyRunning = resource == "/exec/" };
        await using var pty = PtyProcess.Start(client, args, Environment(client, stub), 30, 100);
        await pty.WaitForAsync("stub$ ");
        await stub.WaitForRequestAsync("/resize?h=30&w=100");
        Assert.That(pty.Settings.IsRaw, Is.True, $"{Path.GetFileName(client)} puts the terminal in raw mode");
        pty.Type("echo hi\r");
        await pty.WaitForAsync("echo hi\r\n");
        await Task.Delay(200);
        pty.Resize(40, 120);
        await stub.WaitForRequestAsync("/resize?h=40&w=120");
        pty.Type("exit\r");
        int code = await pty.WaitForExitAsync();
        Assert.That(pty.Settings, Is.EqualTo(pty.SettingsBefore), $"{Path.GetFileName(client)} gives the terminal back as it was");
        return new Session(stub.Requests, stub.Bodies.Select(b => b.Body).ToList(), stub.CreateBody, code, pty.Screen);
    }

    private static Dictionary<string, string> Environment(string client, StubDaemon stub) => new()
    {
        [Path.GetFileName(client) == "docker" ? "DOCKER_HOST" : "BERTH_HOST"] = stub.Host,
        ["DOCKER_CONFIG"] = Path.Combine(Path.GetTempPath(), "berth-cli-docker-config-pty"),
        ["TZ"] = "UTC",
    };

    private static string Explain(Session berth, Session docker) =>
        $"\nberth requests:\n  {string.Join("\n  ", berth.Requests)}\nexit {berth.ExitCode}, screen:\n{berth.Screen}\n\n"
        + $"docker requests:\n  {string.Join("\n  ", docker.Requests)}\nexit {docker.ExitCode}, screen:\n{docker.Screen}";
}
