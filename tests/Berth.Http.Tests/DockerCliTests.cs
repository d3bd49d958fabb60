using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

/// <summary>The real docker CLI (28.x) against stub handlers: negotiation, HEAD /_ping, and a hijacked exec.</summary>
public sealed class DockerCliTests : ServerTestBase
{
    private readonly List<string> _requests = new();

    [SetUp]
    public void RequireDockerCli()
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "docker")));
        if (!found)
        {
            TestContext.Out.WriteLine("skipped: the docker CLI is not on PATH");
            Assert.Ignore("the docker CLI is not on PATH");
        }
        MapStubs();
        StartServer();
    }

    [Test]
    public async Task DockerVersionTalksToTheServer()
    {
        var (exitCode, stdout, stderr) = await RunDockerAsync("version", "--format", "{{.Server.APIVersion}}");
        Assert.That(exitCode, Is.Zero, stderr + Log());
        Assert.That(stdout, Is.EqualTo("1.50\n"));
        Assert.That(stderr, Is.Empty, "no 'Unsolicited response' from a HEAD body");
        Assert.That(_requests, Does.Contain("HEAD /_ping").And.Contain("GET /v1.50/version"));
    }

    [Test]
    public async Task DockerExecRunsThroughAHijackedRequestWithABody()
    {
        var (exitCode, stdout, stderr) = await RunDockerAsync("exec", "x", "echo", "hi");
        Assert.That(exitCode, Is.Zero, stderr + Log());
        Assert.That(stdout, Is.EqualTo("hi\n"), Log());
        Assert.That(_requests, Does.Contain("POST /v1.50/exec/e1/start body={\"Detach\":false,\"Tty\":false}"));
        Assert.That(_requests.Last(), Is.EqualTo("GET /v1.50/exec/e1/json"));
    }

    private void MapStubs()
    {
        Router.MapGet("/_ping", c =>
        {
            Record(c, "");
            var headers = c.Response.Headers;
            headers.Set("Api-Version", "1.50");
            headers.Set("Ostype", "linux");
            headers.Set("Docker-Experimental", "false");
            headers.Set("Builder-Version", "2");
            headers.Set("Cache-Control", "no-cache, no-store, must-revalidate");
            headers.Set("Pragma", "no-cache");
            return c.Response.SendAsync("OK"u8.ToArray(), "text/plain; charset=utf-8");
        });
        Router.MapGet("/version", c => Json(c, 200,
            "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.50\",\"MinAPIVersion\":\"1.40\",\"Os\":\"linux\",\"Arch\":\"amd64\"}"));
        Router.MapGet("/containers/{id}/json", c => Json(c, 200,
            $"{{\"Id\":\"{c.RouteValue("id")}\",\"Name\":\"/x\",\"State\":{{\"Status\":\"running\",\"Running\":true}},"
            + "\"Config\":{\"Tty\":false},\"HostConfig\":{},\"NetworkSettings\":{}}"));
        Router.MapPost("/containers/{id}/exec", async c =>
        {
            await c.Request.Body.CopyToAsync(Stream.Null);
            await Json(c, 201, "{\"Id\":\"e1\"}");
        });
        Router.MapPost("/exec/{id}/start", async c =>
        {
            var body = new MemoryStream();
            await c.Request.Body.CopyToAsync(body);
            Record(c, " body=" + Encoding.UTF8.GetString(body.ToArray()).Trim());
            c.Response.StatusCode = 101;
            c.Response.ReasonPhrase = "UPGRADED";
            c.Response.Headers.Add("Content-Type", "application/vnd.docker.multiplexed-stream");
            c.Response.Headers.Add("Connection", "Upgrade");
            c.Response.Headers.Add("Upgrade", "tcp");
            var connection = await c.HijackAsync(c.RequestAborted);
            await Task.Delay(100);
            await StdCopy.WriteFrameAsync(connection.Output, StdStream.Stdout, "hi\n"u8.ToArray());
            await connection.CompleteAsync();
        });
        Router.MapGet("/exec/{id}/json", c => Json(c, 200,
            "{\"ID\":\"e1\",\"Running\":false,\"ExitCode\":0,\"ProcessConfig\":{\"tty\":false,\"entrypoint\":\"echo\",\"arguments\":[\"hi\"]},"
            + "\"OpenStdin\":false,\"OpenStdout\":true,\"OpenStderr\":true,\"ContainerID\":\"x\",\"Pid\":0}"));
    }

    private Task Json(HttpContext context, int status, string json)
    {
        Record(context, "");
        context.Response.StatusCode = status;
        return context.Response.SendAsync(Encoding.UTF8.GetBytes(json), "application/json");
    }

    private void Record(HttpContext context, string detail)
    {
        lock (_requests)
            _requests.Add($"{context.Request.Method} {context.Request.Target}{detail}");
    }

    private string Log()
    {
        lock (_requests)
            return "\nrequests:\n  " + string.Join("\n  ", _requests);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunDockerAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker", args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH" })
            start.Environment.Remove(name);
        start.Environment["DOCKER_HOST"] = "unix://" + SocketPath;
        start.Environment["DOCKER_CONFIG"] = Path.Combine(Path.GetDirectoryName(SocketPath)!, "docker-config");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            process.Kill();
            Assert.Fail($"docker {string.Join(' ', args)} hung{Log()}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
