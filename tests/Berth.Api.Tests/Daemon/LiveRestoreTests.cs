using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Daemon;

/// <summary>
/// Live restore: containers outlive berthd's SIGTERM and kill -9 as children of berth-keeper, and the next berthd
/// adopts them (same pid, logs that kept flowing, exec, stop, wait, pause, a terminal), with the real exit code of one
/// that ended while no berthd ran and --rm applied to it.
/// </summary>
[NonParallelizable]
public sealed class LiveRestoreTests
{
    private static readonly string[] LiveRestore = ["--live-restore"];

    private const string Ticker = "i=0; while true; do echo tick $i; i=$((i+1)); if [ -f /tmp/say ]; then cat /tmp/say; rm /tmp/say; fi; sleep 0.1; done";

    [Test]
    public async Task ContainersSurviveTermAndKillAndAreAdopted()
    {
        string dataRoot = BerthDaemon.NewDataRoot();
        string cgroupParent = "berth-test-" + dataRoot[^12..];
        var pids = new Dictionary<string, int>();
        try
        {
            var first = await BerthDaemon.StartAsync(dataRoot, cgroupParent, LiveRestore);
            await using (var api = first.Client())
            {
                Assert.That((await api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive)).Status, Is.EqualTo(200));
                await RunAsync(api, "ticker", $$"""{"Image":"busybox","Cmd":["sh","-c",{{JsonSerializer.Serialize(Ticker)}}]}""");
                await RunAsync(api, "paused", """{"Image":"busybox","Cmd":["sleep","1000"]}""");
                Assert.That((await api.PostAsync("/v1.50/containers/paused/pause")).Status, Is.EqualTo(204));
                await RunAsync(api, "terminal", $$"""{"Image":"busybox","Tty":true,"Cmd":["sh","-c",{{JsonSerializer.Serialize(Ticker)}}]}""");
                await RunAsync(api, "seven", """{"Image":"busybox","Cmd":["sh","-c","trap 'exit 7' TERM; while true; do sleep 0.1; done"]}""");
                await RunAsync(api, "gone", """{"Image":"busybox","Cmd":["sleep","1000"],"HostConfig":{"AutoRemove":true}}""");
                foreach (string name in new[] { "ticker", "paused", "terminal", "seven", "gone" })
                    pids[name] = await PidAsync(api, name);
                await WaitForLogAsync(api, "ticker", "tick 1");
            }
            using (var attach = RawConnection.Open(first.SocketPath))
            {
                // An attached client when berthd stops: its stream ends, the container goes on.
                await attach.SendAsync("POST /v1.50/containers/ticker/attach?stdout=1&stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
                await attach.ReadUntilAsync("tick");
                Assert.That(await first.StopAsync(), Is.Zero, first.Log);
                await attach.ReadForAsync(TimeSpan.FromSeconds(5));
                Assert.That(attach.ReadEnded, Is.True, "the attach stream ended with berthd");
            }
            first.Process.Dispose(); // not DisposeAsync: the containers' cgroups and mounts are meant to stay
            foreach (var (name, pid) in pids)
                Assert.That(IsAlive(pid), Is.True, $"{name} outlives berthd's SIGTERM");

            // While no berthd runs: output is written (it waits in the pipe and the terminal), two containers end.
            File.WriteAllText($"/proc/{pids["ticker"]}/root/tmp/say", "written while berthd was down\n");
            File.WriteAllText($"/proc/{pids["terminal"]}/root/tmp/say", "typed while berthd was down\n");
            Berth.Interop.Sys.Kill(pids["seven"], 15);
            Berth.Interop.Sys.Kill(pids["gone"], 9);
            await WaitUntilAsync(() => !IsAlive(pids["seven"]) && !IsAlive(pids["gone"]));

            var second = await BerthDaemon.StartAsync(dataRoot, cgroupParent, LiveRestore);
            await using (var api = second.Client())
            {
                Assert.That(await PidAsync(api, "ticker"), Is.EqualTo(pids["ticker"]));
                Assert.That(await StatusAsync(api, "ticker"), Is.EqualTo("running"));
                Assert.That(await StatusAsync(api, "paused"), Is.EqualTo("paused"));
                Assert.That(await PidAsync(api, "paused"), Is.EqualTo(pids["paused"]));
                Assert.That(await StatusAsync(api, "terminal"), Is.EqualTo("running"));
                await WaitForLogAsync(api, "ticker", "written while berthd was down");
                await WaitForLogAsync(api, "terminal", "typed while berthd was down");
                var seven = (await api.GetAsync("/v1.50/containers/seven/json")).Json.GetProperty("State");
                Assert.That(seven.GetProperty("Status").GetString(), Is.EqualTo("exited"));
                Assert.That(seven.GetProperty("ExitCode").GetInt32(), Is.EqualTo(7), "the real exit status, kept by berth-keeper");
                await WaitUntilAsync(async () => (await api.GetAsync("/v1.50/containers/gone/json")).Status == 404);

                // exec and stats on an adopted container
                var exec = await api.PostAsync("/v1.50/containers/ticker/exec", """{"Cmd":["touch","/tmp/exec-ran"]}""");
                Assert.That(exec.Status, Is.EqualTo(201), exec.ToString());
                string execId = exec.Json.GetProperty("Id").GetString()!;
                Assert.That((await api.PostAsync($"/v1.50/exec/{execId}/start", """{"Detach":true}""")).Status, Is.EqualTo(200));
                await WaitUntilAsync(() => File.Exists($"/proc/{pids["ticker"]}/root/tmp/exec-ran"));
                var stats = await api.GetAsync("/v1.50/containers/ticker/stats?stream=0");
                Assert.That(stats.Status, Is.EqualTo(200), stats.ToString());
            }

            // kill -9 of the adopting berthd: adopted again by the third.
            await second.KillHardAsync();
            second.Process.Dispose();
            await using var third = await BerthDaemon.StartAsync(dataRoot, cgroupParent, LiveRestore);
            await using (var api = third.Client())
            {
                Assert.That(await PidAsync(api, "ticker"), Is.EqualTo(pids["ticker"]));
                Assert.That(await StatusAsync(api, "paused"), Is.EqualTo("paused"));
                Assert.That((await api.PostAsync("/v1.50/containers/paused/unpause")).Status, Is.EqualTo(204));
                Assert.That(await StatusAsync(api, "paused"), Is.EqualTo("running"));
                Assert.That(await StatusAsync(api, "terminal"), Is.EqualTo("running"));

                // wait on an adopted container, and stop: the exit code is the keeper's (SIGKILL of a sh ignoring SIGTERM: 137).
                using var wait = RawConnection.Open(third.SocketPath);
                await wait.SendAsync("POST /v1.50/containers/ticker/wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
                await wait.ReadUntilAsync("\r\n\r\n");
                Assert.That((await api.PostAsync("/v1.50/containers/ticker/stop?t=1")).Status, Is.EqualTo(204));
                Assert.That(await wait.ReadUntilAsync("StatusCode"), Does.Contain("\"StatusCode\":137"));
                Assert.That(IsAlive(pids["ticker"]), Is.False);
                var ticker = (await api.GetAsync("/v1.50/containers/ticker/json")).Json.GetProperty("State");
                Assert.That(ticker.GetProperty("ExitCode").GetInt32(), Is.EqualTo(137));

                foreach (string name in new[] { "ticker", "paused", "terminal", "seven" })
                    Assert.That((await api.DeleteAsync($"/v1.50/containers/{name}?force=1")).Status, Is.EqualTo(204));
            }
            // Nothing runs and nothing is held: the keeper exits once berthd has gone.
            Assert.That(await third.StopAsync(), Is.Zero, third.Log);
            await WaitUntilAsync(() => !File.Exists(Path.Combine(dataRoot, "keeper.sock")));
        }
        finally
        {
            foreach (int pid in pids.Values)
                Berth.Interop.Sys.Kill(pid, 9);
            Leaks.KillKeeper(dataRoot);
            foreach (string mount in Leaks.MountsUnder(dataRoot).AsEnumerable().Reverse())
                Berth.Interop.Sys.TryUnmount(mount, Berth.Interop.Libc.MNT_DETACH);
            Leaks.DeleteDirectory(dataRoot);
            Leaks.DeleteDirectory(dataRoot + ".run");
        }
    }

    [Test]
    public async Task WithoutLiveRestoreATermStopsTheContainersAndNoKeeperRuns()
    {
        await using var daemon = await BerthDaemon.StartAsync(extraArguments: ["--live-restore=false"]);
        int pid;
        await using (var api = daemon.Client())
        {
            Assert.That((await api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive)).Status, Is.EqualTo(200));
            await RunAsync(api, "sleeper", """{"Image":"busybox","Cmd":["sleep","1000"]}""");
            pid = await PidAsync(api, "sleeper");
            Assert.That(File.Exists(Path.Combine(daemon.DataRoot, "keeper.sock")), Is.False, "no berth-keeper without live restore");
        }
        Assert.That(await daemon.StopAsync(), Is.Zero, daemon.Log);
        Assert.That(IsAlive(pid), Is.False, "the container was stopped with berthd");
    }

    private static async Task RunAsync(ApiClient api, string name, string json)
    {
        await api.CreateAsync(name, json);
        var start = await api.PostAsync($"/v1.50/containers/{name}/start");
        Assert.That(start.Status, Is.EqualTo(204), start.ToString());
    }

    private static async Task<int> PidAsync(ApiClient api, string name) =>
        (await api.GetAsync($"/v1.50/containers/{name}/json")).Json.GetProperty("State").GetProperty("Pid").GetInt32();

    private static async Task<string> StatusAsync(ApiClient api, string name) =>
        (await api.GetAsync($"/v1.50/containers/{name}/json")).Json.GetProperty("State").GetProperty("Status").GetString()!;

    private static async Task WaitForLogAsync(ApiClient api, string name, string text)
    {
        string logs = "";
        for (int i = 0; i < 200; i++)
        {
            var response = await api.GetAsync($"/v1.50/containers/{name}/logs?stdout=1&stderr=1");
            // A Tty container's log is raw, not framed: the text is in the body either way.
            logs = response.Text;
            if (logs.Contains(text, StringComparison.Ordinal))
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"`{text}` never appeared in the logs of {name}: {logs}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 300; i++)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }
        Assert.Fail("the condition never became true");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            string status = File.ReadAllText($"/proc/{pid}/status");
            return !status.Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
