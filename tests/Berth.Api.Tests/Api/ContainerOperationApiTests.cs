using System.Text;
using Berth.Api.Tests.Infrastructure;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>pause, unpause, restart, rename, top, and Tty containers: raw attach, resize before and after the start, raw logs.</summary>
public sealed class ContainerOperationApiTests : DaemonFixture
{
    private async Task<string> StartedAsync(string prefix, params string[] cmd)
    {
        string id = await CreateAsync(UniqueName(prefix), cmd);
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
        return id;
    }

    private async Task<System.Text.Json.JsonElement> StateAsync(string id) =>
        (await Api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State");

    [Test]
    public async Task PauseAndUnpause()
    {
        string created = await CreateAsync(UniqueName("idle"), "true");
        var notRunning = await Api.PostAsync($"/v1.50/containers/{created}/pause");
        Assert.That(notRunning.Status, Is.EqualTo(409), notRunning.ToString());
        Assert.That((await Api.PostAsync($"/v1.50/containers/{created}/unpause")).Status, Is.EqualTo(409));
        await Api.DeleteAsync($"/v1.50/containers/{created}");

        string id = await StartedAsync("pause", "sleep", "1000");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/pause")).Status, Is.EqualTo(204));
        var state = await StateAsync(id);
        Assert.That(state.GetProperty("Status").GetString(), Is.EqualTo("paused"));
        Assert.That(state.GetProperty("Paused").GetBoolean(), Is.True);
        var twice = await Api.PostAsync($"/v1.50/containers/{id}/pause");
        Assert.That(twice.Status, Is.EqualTo(409));
        Assert.That(twice.Message, Does.Contain("already paused"));

        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/unpause")).Status, Is.EqualTo(204));
        Assert.That((await StateAsync(id)).GetProperty("Status").GetString(), Is.EqualTo("running"));
        var again = await Api.PostAsync($"/v1.50/containers/{id}/unpause");
        Assert.That(again.Status, Is.EqualTo(409));
        Assert.That(again.Message, Does.Contain("is not paused"));
        Assert.That((await Api.PostAsync("/v1.50/containers/nope/pause")).Status, Is.EqualTo(404));
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }

    [Test]
    public async Task AForcedRemoveRightAfterTheExitSucceeds()
    {
        // The remove meets the exit handling at every stage: the process reaped, the state being written.
        for (int i = 0; i < 10; i++)
        {
            string id = await CreateAsync(UniqueName("quick"), "true");
            Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
            var rm = await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
            Assert.That(rm.Status, Is.EqualTo(204), rm.ToString());
        }
    }

    [Test]
    public async Task RestartRunsTheContainerAgain()
    {
        string id = await StartedAsync("restart", "sleep", "1000");
        int pid = (await StateAsync(id)).GetProperty("Pid").GetInt32();
        var restart = await Api.PostAsync($"/v1.50/containers/{id}/restart?t=1");
        Assert.That(restart.Status, Is.EqualTo(204), restart.ToString());
        var state = await StateAsync(id);
        Assert.That(state.GetProperty("Running").GetBoolean(), Is.True);
        Assert.That(state.GetProperty("Pid").GetInt32(), Is.Not.EqualTo(pid));
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");

        string created = await CreateAsync(UniqueName("never"), "sleep", "1000");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{created}/restart")).Status, Is.EqualTo(204), "a container that does not run is started");
        Assert.That((await StateAsync(created)).GetProperty("Running").GetBoolean(), Is.True);
        await Api.DeleteAsync($"/v1.50/containers/{created}?force=1");
        Assert.That((await Api.PostAsync("/v1.50/containers/nope/restart")).Status, Is.EqualTo(404));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/restart?t=soon")).Status, Is.EqualTo(400));
    }

    [Test]
    public async Task Rename()
    {
        string first = UniqueName("first");
        string second = UniqueName("second");
        string id = await CreateAsync(first, "true");
        string other = await CreateAsync(UniqueName("other"), "true");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{first}/rename?name={second}")).Status, Is.EqualTo(204));
        Assert.That((await Api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("Name").GetString(), Is.EqualTo("/" + second));
        Assert.That((await Api.GetAsync($"/v1.50/containers/{first}/json")).Status, Is.EqualTo(404));

        var conflict = await Api.PostAsync($"/v1.50/containers/{other}/rename?name={second}");
        Assert.That(conflict.Status, Is.EqualTo(409));
        Assert.That(conflict.Message, Does.Contain("is already in use"));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/rename?name=")).Status, Is.EqualTo(400));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/rename?name=bad%20name")).Status, Is.EqualTo(400));
        Assert.That((await Api.PostAsync("/v1.50/containers/nope/rename?name=x2")).Status, Is.EqualTo(404));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
        await Api.DeleteAsync($"/v1.50/containers/{other}");
    }

    [Test]
    public async Task TopRunsPsOverTheContainersProcesses()
    {
        string id = await StartedAsync("top", "sh", "-c", "sleep 1000 & sleep 2000");
        var top = await Api.GetAsync($"/v1.50/containers/{id}/top");
        for (int i = 0; i < 50 && !top.Text.Contains("\"sleep 1000\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100); // the background child of sh has not exec'd sleep yet
            top = await Api.GetAsync($"/v1.50/containers/{id}/top");
        }
        Assert.That(top.Status, Is.EqualTo(200), top.ToString());
        var titles = top.Json.GetProperty("Titles").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.That(titles, Is.EqualTo(new[] { "UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD" }));
        var rows = top.Json.GetProperty("Processes").EnumerateArray().Select(r => r.EnumerateArray().Select(f => f.GetString()!).ToList()).ToList();
        Assert.That(rows.All(r => r.Count == titles.Count), Is.True);
        Assert.That(rows.Select(r => r[^1]), Does.Contain("sleep 1000").And.Contain("sleep 2000"), "the command keeps its arguments");
        Assert.That(rows.All(r => r[^1].Contains("sleep", StringComparison.Ordinal) || r[^1].StartsWith("sh ", StringComparison.Ordinal)), Is.True, "nothing of the host");

        var custom = await Api.GetAsync($"/v1.50/containers/{id}/top?ps_args=-o%20pid,comm");
        Assert.That(custom.Json.GetProperty("Titles").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "PID", "COMMAND" }));
        var renamed = await Api.GetAsync($"/v1.50/containers/{id}/top?ps_args=-o%20pid%20-o%20x=PID");
        Assert.That(renamed.Status, Is.EqualTo(400), renamed.ToString());
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");

        string stopped = await CreateAsync(UniqueName("stopped"), "true");
        var notRunning = await Api.GetAsync($"/v1.50/containers/{stopped}/top");
        Assert.That(notRunning.Status, Is.EqualTo(409));
        Assert.That(notRunning.Message, Does.Contain("is not running"));
        await Api.DeleteAsync($"/v1.50/containers/{stopped}");
    }

    [Test]
    public async Task ATtyContainerIsARawTerminalThatFollowsResizes()
    {
        string id = await Api.CreateAsync(UniqueName("tty"), """{"Image":"busybox","Cmd":["sh"],"Tty":true,"OpenStdin":true,"StdinOnce":true,"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"HostConfig":{"ConsoleSize":[10,40]}}""");
        var request = new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?stderr=1&stdin=1&stdout=1&stream=1");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await Api.Http.HijackAsync(request, cts.Token);
        Assert.That(stream.ResponseHeaders["Content-Type"], Is.EqualTo("application/vnd.docker.raw-stream"));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/resize?h=12&w=50")).Status, Is.EqualTo(200), "a resize before the start is kept");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));

        var terminal = new TerminalReader(stream);
        await stream.WriteAsync("stty size\n"u8.ToArray(), cts.Token);
        await terminal.ReadUntilAsync("12 50\r\n", cts.Token);
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/resize?h=30&w=90")).Status, Is.EqualTo(200));
        await stream.WriteAsync("stty size; exit 7\n"u8.ToArray(), cts.Token);
        await terminal.ReadUntilAsync("30 90\r\n", cts.Token);
        await terminal.ReadToEndAsync(cts.Token);
        var wait = await Api.PostAsync($"/v1.50/containers/{id}/wait");
        Assert.That(wait.Json.GetProperty("StatusCode").GetInt32(), Is.EqualTo(7));

        var logs = await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1");
        Assert.That(logs.Headers["Content-Type"], Is.EqualTo("application/vnd.docker.raw-stream"));
        Assert.That(logs.Text, Does.Contain("12 50\r\n").And.Contain("30 90\r\n"), "raw terminal output, no stdcopy frames");
        Assert.That(logs.Body[0], Is.Not.EqualTo(1), "no stdcopy header");

        var after = await Api.PostAsync($"/v1.50/containers/{id}/resize?h=5&w=5");
        Assert.That(after.Status, Is.EqualTo(409), "the run is over");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/resize?w=5")).Status, Is.EqualTo(400));
        Assert.That((await Api.PostAsync("/v1.50/containers/nope/resize?h=5&w=5")).Status, Is.EqualTo(404));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task DetachingFromATtyShellEndsTheAttachButNeverTheShell()
    {
        // docker run -it busybox sh, then Ctrl-P Ctrl-Q (issue 11): the shell must survive its client going away,
        // whether the client sends the detach keys to the daemon or just closes its input (both CLIs do the latter).
        string id = await Api.CreateAsync(UniqueName("ttysh"), """{"Image":"busybox","Cmd":["sh"],"Tty":true,"OpenStdin":true,"StdinOnce":true,"AttachStdin":true,"AttachStdout":true}""");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var first = await Api.Http.HijackAsync(new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?stdin=1&stdout=1&stream=1"), cts.Token))
        {
            Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
            var terminal = new TerminalReader(first);
            await first.WriteAsync("echo one-$((40+2))\n"u8.ToArray(), cts.Token);
            await terminal.ReadUntilAsync("one-42", cts.Token);
            await first.WriteAsync(new byte[] { 16, 17, (byte)'x' }, cts.Token);
            await terminal.ReadToEndAsync(cts.Token);
        }
        Assert.That((await Api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State").GetProperty("Running").GetBoolean(), Is.True, "the detach keys ended the attach only");

        await using (var second = await Api.Http.HijackAsync(new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?stdin=1&stdout=1&stream=1&detachKeys=ctrl-a"), cts.Token))
        {
            var terminal = new TerminalReader(second);
            await second.WriteAsync("echo two-$((40+2))\n"u8.ToArray(), cts.Token);
            await terminal.ReadUntilAsync("two-42", cts.Token);
            second.CloseWrite();
            await terminal.ReadToEndAsync(cts.Token);
        }
        Assert.That((await Api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State").GetProperty("Running").GetBoolean(), Is.True, "the end of the client's input ended the attach only");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/attach?stdin=1&stream=1&detachKeys=ctrl-foo")).Status, Is.EqualTo(400));

        await using (var third = await Api.Http.HijackAsync(new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?stdin=1&stdout=1&stream=1"), cts.Token))
        {
            await third.WriteAsync("exit 3\n"u8.ToArray(), cts.Token);
            await new TerminalReader(third).ReadToEndAsync(cts.Token);
        }
        var wait = await Api.PostAsync($"/v1.50/containers/{id}/wait");
        Assert.That(wait.Json.GetProperty("StatusCode").GetInt32(), Is.EqualTo(3), "the same shell answered every attach");
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    /// <summary>Reads a raw terminal stream as text.</summary>
    private sealed class TerminalReader(Stream stream)
    {
        private readonly StringBuilder _text = new();

        public async Task ReadUntilAsync(string marker, CancellationToken ct)
        {
            var buffer = new byte[4096];
            while (!_text.ToString().Contains(marker, StringComparison.Ordinal))
            {
                int n = await stream.ReadAsync(buffer, ct);
                if (n == 0)
                    Assert.Fail($"the stream ended before `{marker.Trim()}`: {_text}");
                _text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }

        public async Task<string> ReadToEndAsync(CancellationToken ct)
        {
            var buffer = new byte[4096];
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0)
                _text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            return _text.ToString();
        }
    }
}
