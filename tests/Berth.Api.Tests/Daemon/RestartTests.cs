using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Daemon;

/// <summary>berthd killed with SIGKILL, then a new berthd on the same data root: nothing lost, nothing left running.</summary>
[NonParallelizable]
public sealed class RestartTests
{
    [Test]
    public async Task AContainerRunningWhenTheDaemonDiesComesBackExitedWithItsLogs()
    {
        string dataRoot = BerthDaemon.NewDataRoot();
        string cgroupParent = "berth-test-" + dataRoot[^12..];
        try
        {
            var first = await BerthDaemon.StartAsync(dataRoot, cgroupParent);
            string id;
            int pid;
            await using (var api = first.Client())
            {
                Assert.That((await api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive)).Status, Is.EqualTo(200));
                id = await api.CreateAsync("survivor", "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"echo before the crash; sleep 1000\"]}");
                Assert.That((await api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
                pid = (await api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State").GetProperty("Pid").GetInt32();
                for (int i = 0; i < 100 && !(await LogsAsync(api, id)).Contains("before", StringComparison.Ordinal); i++)
                    await Task.Delay(100);
            }
            await first.KillHardAsync();
            first.Process.Dispose();
            Assert.That(IsAlive(pid), Is.True, "the container outlives a killed daemon (nothing stops it but the next daemon)");

            await using var second = await BerthDaemon.StartAsync(dataRoot, cgroupParent);
            await using var client = second.Client();
            var inspect = await client.GetAsync("/v1.50/containers/survivor/json");
            Assert.That(inspect.Status, Is.EqualTo(200), inspect.ToString());
            var state = inspect.Json.GetProperty("State");
            Assert.That(state.GetProperty("Status").GetString(), Is.EqualTo("exited"));
            Assert.That(state.GetProperty("Running").GetBoolean(), Is.False);
            Assert.That(state.GetProperty("Pid").GetInt32(), Is.Zero);
            Assert.That(state.GetProperty("FinishedAt").GetString(), Is.Not.EqualTo("0001-01-01T00:00:00Z"));

            var list = await client.GetAsync("/v1.50/containers/json?all=1");
            var summary = list.Json.EnumerateArray().Single(c => c.GetProperty("Id").GetString() == id);
            Assert.That(summary.GetProperty("Status").GetString(), Does.StartWith("Exited ("));
            Assert.That(await LogsAsync(client, id), Is.EqualTo("before the crash\n"));
            Assert.That((await client.GetAsync("/v1.50/images/busybox/json")).Status, Is.EqualTo(200));

            Assert.That(IsAlive(pid), Is.False, "the recovery killed what was left of the container");
            Assert.That(Leaks.MountsUnder(dataRoot), Is.Empty, "no rootfs mount is left after recovery");
            Assert.That(Leaks.CgroupDirectories(id), Is.Empty, "no container cgroup is left after recovery");

            Assert.That((await client.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204), "the recovered container starts again");
            Assert.That((await client.DeleteAsync($"/v1.50/containers/{id}?force=1")).Status, Is.EqualTo(204));
        }
        finally
        {
            foreach (string mount in Leaks.MountsUnder(dataRoot).AsEnumerable().Reverse())
                Berth.Interop.Sys.TryUnmount(mount, Berth.Interop.Libc.MNT_DETACH);
            Leaks.DeleteDirectory(dataRoot);
            Leaks.DeleteDirectory(dataRoot + ".run");
        }
    }

    /// <summary>
    /// Restart policies across a daemon restart (moby's restore): after SIGTERM (berthd stops its containers, and
    /// those stops are not the user's) and after kill -9 (the next berthd's recovery kills what still runs, as after a
    /// crash or a host reboot), a new berthd on the same data root starts the `always` and `unless-stopped` containers
    /// again, but not an `unless-stopped` one the user stopped, nor one with `no`. Live restore is off: with it the
    /// containers would simply keep running.
    /// </summary>
    [TestCase(false, TestName = "RestartPoliciesAcrossADaemonStop")]
    [TestCase(true, TestName = "RestartPoliciesAcrossADaemonKill")]
    public async Task RestartPoliciesDecideWhatComesBackWhenTheDaemonStarts(bool kill)
    {
        string dataRoot = BerthDaemon.NewDataRoot();
        string cgroupParent = "berth-test-" + dataRoot[^12..];
        string[] noLiveRestore = ["--live-restore=false"];
        const string Loop = "trap 'exit 0' TERM; while :; do sleep 1; done";
        var policies = new[] { ("always", "always"), ("unless", "unless-stopped"), ("stopped", "unless-stopped"), ("no", "no") };
        try
        {
            var first = await BerthDaemon.StartAsync(dataRoot, cgroupParent, noLiveRestore);
            var pids = new Dictionary<string, int>();
            await using (var api = first.Client())
            {
                Assert.That((await api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive)).Status, Is.EqualTo(200));
                foreach (var (name, policy) in policies)
                {
                    string id = await api.CreateAsync(name, $"{{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"{Loop}\"],\"HostConfig\":{{\"RestartPolicy\":{{\"Name\":\"{policy}\"}}}}}}");
                    Assert.That((await api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204), name);
                    pids[name] = (await api.GetAsync($"/v1.50/containers/{name}/json")).Json.GetProperty("State").GetProperty("Pid").GetInt32();
                }
                var stop = await api.PostAsync("/v1.50/containers/stopped/stop");
                Assert.That(stop.Status, Is.EqualTo(204), stop.ToString());
            }
            if (kill)
                await first.KillHardAsync();
            else
                Assert.That(await first.StopAsync(), Is.Zero, first.Log);
            first.Process.Dispose();

            await using var second = await BerthDaemon.StartAsync(dataRoot, cgroupParent, noLiveRestore);
            await using var client = second.Client();
            foreach (string name in new[] { "always", "unless" })
            {
                var state = await UntilRunningAsync(client, name);
                Assert.That(state.GetProperty("Pid").GetInt32(), Is.Not.EqualTo(pids[name]), $"{name} is a new process");
            }
            foreach (string name in new[] { "stopped", "no" })
            {
                var state = (await client.GetAsync($"/v1.50/containers/{name}/json")).Json.GetProperty("State");
                Assert.That(state.GetProperty("Status").GetString(), Is.EqualTo("exited"), $"{name} stays exited");
            }
            Assert.That(pids.Values.Where(IsAlive), Is.Empty, "no process of the first daemon's containers is left");
            foreach (var (name, _) in policies)
                Assert.That((await client.DeleteAsync($"/v1.50/containers/{name}?force=1")).Status, Is.EqualTo(204), name);
        }
        finally
        {
            foreach (string mount in Leaks.MountsUnder(dataRoot).AsEnumerable().Reverse())
                Berth.Interop.Sys.TryUnmount(mount, Berth.Interop.Libc.MNT_DETACH);
            Leaks.DeleteDirectory(dataRoot);
            Leaks.DeleteDirectory(dataRoot + ".run");
        }
    }

    /// <summary>Polls inspect until the container runs (at most 60 s, a bound for a stuck engine, not a timing assert); returns its State.</summary>
    private static async Task<System.Text.Json.JsonElement> UntilRunningAsync(ApiClient api, string name)
    {
        System.Text.Json.JsonElement state = default;
        for (int i = 0; i < 600; i++)
        {
            state = (await api.GetAsync($"/v1.50/containers/{name}/json")).Json.GetProperty("State");
            if (state.GetProperty("Running").GetBoolean())
                return state;
            await Task.Delay(100);
        }
        Assert.Fail($"{name} did not come back: {state}");
        return state;
    }

    private static async Task<string> LogsAsync(ApiClient api, string id)
    {
        var logs = await api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1");
        return (await StdCopyReader.DemultiplexAsync(logs.Body)).Stdout;
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
