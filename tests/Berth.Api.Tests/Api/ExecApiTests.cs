using System.Text;
using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>exec over the socket: create, start (hijacked with a JSON body, or detached), resize, inspect, and their errors.</summary>
public sealed class ExecApiTests : DaemonFixture
{
    private string _running = "";

    [OneTimeSetUp]
    public async Task StartAContainer()
    {
        _running = await CreateAsync(UniqueName("exec"), "sleep", "1000");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{_running}/start")).Status, Is.EqualTo(204));
    }

    [OneTimeTearDown]
    public async Task RemoveTheContainer()
    {
        if (_running.Length > 0)
            await Api.DeleteAsync($"/v1.50/containers/{_running}?force=1");
    }

    private async Task<string> CreateExecAsync(string container, string json)
    {
        var create = await Api.PostAsync($"/v1.50/containers/{container}/exec", json);
        Assert.That(create.Status, Is.EqualTo(201), create.ToString());
        return create.Json.GetProperty("Id").GetString()!;
    }

    /// <summary>POST /exec/{id}/start the way the CLI sends it: JSON body and Upgrade: tcp.</summary>
    private async Task<HijackedStream> StartHijackedAsync(string exec, string body, CancellationToken ct)
    {
        var request = new HttpClientRequest("POST", $"/v1.50/exec/{exec}/start") { Content = Encoding.UTF8.GetBytes(body) };
        request.Headers.Set("Content-Type", "application/json");
        return await Api.Http.HijackAsync(request, ct);
    }

    private static string Command(params string[] cmd) => JsonSerializer.Serialize(cmd);

    [Test]
    public async Task OutputIsFramedAndTheExitCodeIsThereWhenTheStreamCloses()
    {
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdout":true,"AttachStderr":true,"Cmd":{{Command("sh", "-c", "echo out; echo err >&2; exit 3")}},"Detach":false,"DetachKeys":"","Env":["X=1"],"Privileged":false,"Tty":false,"User":"","WorkingDir":""}""");
        Assert.That(exec, Does.Match("^[0-9a-f]{64}$"));
        var before = (await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json;
        Assert.That(before.GetProperty("Running").GetBoolean(), Is.False);
        Assert.That(before.GetProperty("ExitCode").ValueKind, Is.EqualTo(JsonValueKind.Null));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await StartHijackedAsync(exec, """{"Detach":false,"Tty":false}""", cts.Token);
        Assert.That(stream.ResponseHeaders["Content-Type"], Is.EqualTo("application/vnd.docker.multiplexed-stream"));
        stream.CloseWrite();
        var (stdout, stderr) = await StdCopyReader.DemultiplexAsync(stream).WaitAsync(cts.Token);
        Assert.That((stdout, stderr), Is.EqualTo(("out\n", "err\n")));

        var inspect = await Api.GetAsync($"/v1.50/exec/{exec}/json");
        Assert.That(inspect.Status, Is.EqualTo(200));
        var json = inspect.Json;
        Assert.That(json.GetProperty("ExitCode").GetInt32(), Is.EqualTo(3), "recorded before the stream closed");
        Assert.That(json.GetProperty("ID").GetString(), Is.EqualTo(exec));
        Assert.That(json.GetProperty("Running").GetBoolean(), Is.False);
        Assert.That(json.GetProperty("ContainerID").GetString(), Is.EqualTo(_running));
        Assert.That(json.GetProperty("OpenStdout").GetBoolean() && json.GetProperty("OpenStderr").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("OpenStdin").GetBoolean(), Is.False);
        var process = json.GetProperty("ProcessConfig");
        Assert.That(process.GetProperty("entrypoint").GetString(), Is.EqualTo("sh"));
        Assert.That(process.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "-c", "echo out; echo err >&2; exit 3" }));
        Assert.That(process.GetProperty("tty").GetBoolean(), Is.False);
        foreach (string field in new[] { "CanRemove", "DetachKeys", "Pid" })
            Assert.That(json.TryGetProperty(field, out _), Is.True, field);
    }

    [Test]
    public async Task StdinReachesTheCommandAndTheHalfCloseEndsIt()
    {
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Cmd":{{Command("sh", "-c", "cat; echo eof >&2")}}}""");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await StartHijackedAsync(exec, """{"Detach":false,"Tty":false}""", cts.Token);
        await stream.WriteAsync("one\ntwo\n"u8.ToArray(), cts.Token);
        stream.CloseWrite();
        var (stdout, stderr) = await StdCopyReader.DemultiplexAsync(stream).WaitAsync(cts.Token);
        Assert.That((stdout, stderr), Is.EqualTo(("one\ntwo\n", "eof\n")));
        Assert.That((await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json.GetProperty("ExitCode").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task ATtyExecIsARawStreamOnATerminalOfTheGivenSize()
    {
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdout":true,"AttachStderr":true,"Tty":true,"ConsoleSize":[20,70],"Cmd":{{Command("sh", "-c", "stty size; tty; echo $TERM")}}}""");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await StartHijackedAsync(exec, """{"ConsoleSize":[20,70],"Detach":false,"Tty":true}""", cts.Token);
        Assert.That(stream.ResponseHeaders["Content-Type"], Is.EqualTo("application/vnd.docker.raw-stream"));
        stream.CloseWrite();
        var output = new MemoryStream();
        await stream.CopyToAsync(output, cts.Token);
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Does.Match(@"^20 70\r\n/dev/pts/\d+\r\nxterm\r\n$"));
        var process = (await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json.GetProperty("ProcessConfig");
        Assert.That(process.GetProperty("tty").GetBoolean(), Is.True);
    }

    [Test]
    public async Task OnATerminalTheEndOfTheClientsInputEndsTheAttachAndLeavesTheShellRunning()
    {
        // moby's CopyStreams closes a TTY exec's output, not its stdin: no ^D reaches the shell, which keeps running.
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdin":true,"AttachStdout":true,"Tty":true,"Cmd":{{Command("sh")}}}""");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var stream = await StartHijackedAsync(exec, """{"Detach":false,"Tty":true}""", cts.Token))
        {
            await stream.WriteAsync("echo $((6*7))\n"u8.ToArray(), cts.Token);
            await ReadUntilAsync(stream, "42\r\n", cts.Token);
            stream.CloseWrite();
            await stream.CopyToAsync(Stream.Null, cts.Token);
        }
        var json = (await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json;
        Assert.That(json.GetProperty("Running").GetBoolean(), Is.True, "the shell got no ^D");
        await KillExecAsync(json.GetProperty("Pid").GetInt32());
    }

    [Test]
    public async Task OnATerminalTheExecsDetachKeysEndTheAttachAndAreNotForwarded()
    {
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdin":true,"AttachStdout":true,"Tty":true,"DetachKeys":"ctrl-x,x","Cmd":{{Command("sh")}}}""");
        var json = (await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json;
        Assert.That(json.GetProperty("DetachKeys").GetString(), Is.EqualTo(Convert.ToBase64String([24, (byte)'x'])));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var stream = await StartHijackedAsync(exec, """{"Detach":false,"Tty":true}""", cts.Token))
        {
            await stream.WriteAsync("echo $((6*7))\n"u8.ToArray(), cts.Token);
            await ReadUntilAsync(stream, "42\r\n", cts.Token);
            await stream.WriteAsync(new byte[] { 24, (byte)'x' }, cts.Token);
            await stream.CopyToAsync(Stream.Null, cts.Token);
        }
        json = (await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json;
        Assert.That(json.GetProperty("Running").GetBoolean(), Is.True);
        await KillExecAsync(json.GetProperty("Pid").GetInt32());

        var bad = await Api.PostAsync($"/v1.50/containers/{_running}/exec", """{"Cmd":["true"],"DetachKeys":"ctrl-1"}""");
        Assert.That(bad.Status, Is.EqualTo(400), bad.ToString());
        Assert.That(bad.Json.GetProperty("message").GetString(), Is.EqualTo("Invalid escape keys (ctrl-1) provided"));
    }

    private static async Task ReadUntilAsync(Stream stream, string expected, CancellationToken ct)
    {
        var seen = new StringBuilder();
        var buffer = new byte[256];
        while (!seen.ToString().Contains(expected, StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, ct);
            Assert.That(read, Is.GreaterThan(0), $"the stream ended before \"{expected}\"; got \"{seen}\"");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    /// <summary>The exec's shell is ours (a child of the test's container): killing it ends the exec.</summary>
    private static async Task KillExecAsync(int pid)
    {
        System.Diagnostics.Process.GetProcessById(pid).Kill();
        for (int i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
            await Task.Delay(50);
    }

    [Test]
    public async Task AResizeBeforeTheStartIsKeptForIt()
    {
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdout":true,"Tty":true,"Cmd":{{Command("stty", "size")}}}""");
        Assert.That((await Api.PostAsync($"/v1.50/exec/{exec}/resize?h=33&w=99")).Status, Is.EqualTo(200));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await StartHijackedAsync(exec, """{"Detach":false,"Tty":true}""", cts.Token);
        stream.CloseWrite();
        var output = new MemoryStream();
        await stream.CopyToAsync(output, cts.Token);
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("33 99\r\n"));

        Assert.That((await Api.PostAsync($"/v1.50/exec/{exec}/resize?h=x&w=1")).Status, Is.EqualTo(400));
        Assert.That((await Api.PostAsync("/v1.50/exec/nope/resize?h=1&w=1")).Status, Is.EqualTo(404));
    }

    [Test]
    public async Task DetachedStartIsAPlain200AndTheExecRunsToItsEnd()
    {
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdout":false,"AttachStderr":false,"Detach":true,"Cmd":{{Command("sh", "-c", "exit 6")}}}""");
        var start = await Api.PostAsync($"/v1.50/exec/{exec}/start", """{"Detach":true,"Tty":false}""");
        Assert.That(start.Status, Is.EqualTo(200), start.ToString());
        Assert.That(start.Body, Is.Empty);
        JsonElement json = default;
        for (int i = 0; i < 100; i++)
        {
            json = (await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json;
            if (json.GetProperty("ExitCode").ValueKind != JsonValueKind.Null)
                break;
            await Task.Delay(50);
        }
        Assert.That(json.GetProperty("ExitCode").GetInt32(), Is.EqualTo(6));
        var again = await Api.PostAsync($"/v1.50/exec/{exec}/start", """{"Detach":true}""");
        Assert.That(again.Status, Is.EqualTo(409), "an exec runs once");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AMissingCommandIsReportedOnTheStreamAndExits127(bool tty)
    {
        string exec = await CreateExecAsync(_running, $$"""{"AttachStdout":true,"AttachStderr":true,"Tty":{{(tty ? "true" : "false")}},"Cmd":{{Command("nope")}}}""");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await StartHijackedAsync(exec, $$"""{"Detach":false,"Tty":{{(tty ? "true" : "false")}}}""", cts.Token);
        stream.CloseWrite();
        string stdout;
        if (tty)
        {
            var raw = new MemoryStream();
            await stream.CopyToAsync(raw, cts.Token);
            stdout = Encoding.UTF8.GetString(raw.ToArray());
        }
        else
        {
            (stdout, _) = await StdCopyReader.DemultiplexAsync(stream).WaitAsync(cts.Token);
        }
        Assert.That(stdout, Does.Contain("executable file not found").And.EndWith("\r\n"));
        var json = (await Api.GetAsync($"/v1.50/exec/{exec}/json")).Json;
        Assert.That(json.GetProperty("ExitCode").GetInt32(), Is.EqualTo(127));
        Assert.That(json.GetProperty("Running").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Errors()
    {
        string created = await CreateAsync(UniqueName("stopped"), "true");
        var onStopped = await Api.PostAsync($"/v1.50/containers/{created}/exec", """{"Cmd":["true"]}""");
        Assert.That(onStopped.Status, Is.EqualTo(409), onStopped.ToString());
        Assert.That(onStopped.Message, Does.Contain("is not running"));
        await Api.DeleteAsync($"/v1.50/containers/{created}");

        Assert.That((await Api.PostAsync("/v1.50/containers/nope/exec", """{"Cmd":["true"]}""")).Status, Is.EqualTo(404));
        var noCommand = await Api.PostAsync($"/v1.50/containers/{_running}/exec", """{"Cmd":[]}""");
        Assert.That(noCommand.Status, Is.EqualTo(400));
        Assert.That(noCommand.Message, Is.EqualTo("No exec command specified"));

        var unknown = await Api.GetAsync("/v1.50/exec/0123456789abcdef/json");
        Assert.That(unknown.Status, Is.EqualTo(404));
        Assert.That(unknown.Message, Is.EqualTo("No such exec instance: 0123456789abcdef"));
        Assert.That((await Api.PostAsync("/v1.50/exec/nope/start", """{"Detach":true}""")).Status, Is.EqualTo(404));

        Assert.That((await Api.PostAsync($"/v1.50/containers/{_running}/pause")).Status, Is.EqualTo(204));
        try
        {
            var onPaused = await Api.PostAsync($"/v1.50/containers/{_running}/exec", """{"Cmd":["true"]}""");
            Assert.That(onPaused.Status, Is.EqualTo(409));
            Assert.That(onPaused.Message, Does.Contain("paused"));
        }
        finally
        {
            Assert.That((await Api.PostAsync($"/v1.50/containers/{_running}/unpause")).Status, Is.EqualTo(204));
        }
    }
}
