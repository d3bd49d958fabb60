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
