using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Daemon;

/// <summary>
/// The crash drill of live restore: berthd is killed with -9 at a random point while containers start, run, exit and
/// are stopped, then started again on the same data root, 50 times. After each restart no container the API
/// acknowledged is lost or doubled, every exit code is the one the container exited with (or the stop's), every
/// running container's process is alive with the recorded pid; at the end nothing is left (mounts, cgroups, the keeper).
/// </summary>
[NonParallelizable]
public sealed class CrashDrillTests
{
    private const int Rounds = 50;

    /// <summary>What the test knows of a container: its expected exit code (when it ends by itself) and whether the test stopped it.</summary>
    private sealed record Expected(string Name, int ExitCode)
    {
        public bool Started { get; set; }
        public bool Stopped { get; set; }
    }

    [Test]
    public async Task KillingBerthdAtRandomPointsLosesNothing()
    {
        string dataRoot = BerthDaemon.NewDataRoot();
        string cgroupParent = "berth-test-" + dataRoot[^12..];
        var random = new Random(16);
        var known = new Dictionary<string, Expected>();
        BerthDaemon? daemon = null;
        try
        {
            for (int round = 0; round < Rounds; round++)
            {
                daemon = await BerthDaemon.StartAsync(dataRoot, cgroupParent, ["--live-restore"]);
                await using (var api = daemon.Client())
                {
                    if (round == 0)
                        Assert.That((await api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive)).Status, Is.EqualTo(200));
                    await CheckAsync(api, known, round);

                    // Work in flight when the kill comes: creates and starts of containers that exit by themselves after a
                    // random time with a random code, and stops of running ones.
                    var work = new List<Task>();
                    for (int i = 0; i < 3; i++)
                    {
                        var expected = new Expected($"drill-{round}-{i}", random.Next(1, 100));
                        double seconds = random.Next(0, 30) / 10.0;
                        work.Add(CreateAndStartAsync(daemon, expected, seconds, known));
                    }
                    var running = known.Values.Where(e => e.Started && !e.Stopped).ToList();
                    if (running.Count > 0)
                        work.Add(StopAsync(daemon, running[random.Next(running.Count)]));
                    await Task.Delay(random.Next(0, 400));
                    await daemon.KillHardAsync();
                    await Task.WhenAll(work.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
                }
                daemon.Process.Dispose();
            }

            daemon = await BerthDaemon.StartAsync(dataRoot, cgroupParent, ["--live-restore"]);
            await using (var api = daemon.Client())
            {
                await CheckAsync(api, known, Rounds);
                var all = (await api.GetAsync("/v1.50/containers/json?all=1")).Json.EnumerateArray().Select(c => c.GetProperty("Id").GetString()!).ToList();
                foreach (string id in all)
                    Assert.That((await api.DeleteAsync($"/v1.50/containers/{id}?force=1")).Status, Is.EqualTo(204));
            }
            Assert.That(await daemon.StopAsync(), Is.Zero, daemon.Log);
            for (int i = 0; i < 100 && File.Exists(Path.Combine(dataRoot, "keeper.sock")); i++)
                await Task.Delay(100);
            Assert.That(File.Exists(Path.Combine(dataRoot, "keeper.sock")), Is.False, "berth-keeper exits once it keeps nothing");
            Assert.That(Leaks.MountsUnder(dataRoot), Is.Empty, "mounts left under the data root");
            Assert.That(Leaks.CgroupDirectories(cgroupParent), Is.Empty, "cgroups left");
        }
        finally
        {
            if (daemon is { Process.HasExited: false })
                await daemon.KillHardAsync();
            foreach (string cgroup in Leaks.CgroupDirectories(cgroupParent))
                foreach (string procs in Directory.EnumerateFiles(cgroup, "cgroup.procs", SearchOption.AllDirectories))
                    foreach (string pid in File.ReadAllLines(procs))
                        Berth.Interop.Sys.Kill(int.Parse(pid), 9);
            Leaks.KillKeeper(dataRoot);
            foreach (string mount in Leaks.MountsUnder(dataRoot).AsEnumerable().Reverse())
                Berth.Interop.Sys.TryUnmount(mount, Berth.Interop.Libc.MNT_DETACH);
            Leaks.DeleteDirectory(dataRoot);
            Leaks.DeleteDirectory(dataRoot + ".run");
        }
    }

    private static async Task CreateAndStartAsync(BerthDaemon daemon, Expected expected, double seconds, Dictionary<string, Expected> known)
    {
        await using var api = daemon.Client();
        var create = await api.PostAsync($"/v1.50/containers/create?name={expected.Name}",
            $$"""{"Image":"busybox","Cmd":["sh","-c","sleep {{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}; exit {{expected.ExitCode}}"]}""");
        if (create.Status != 201)
            return;
        lock (known)
            known[expected.Name] = expected;
        if ((await api.PostAsync($"/v1.50/containers/{expected.Name}/start")).Status == 204)
            expected.Started = true;
    }

    private static async Task StopAsync(BerthDaemon daemon, Expected expected)
    {
        expected.Stopped = true; // from now on a stop's 137 (sh as PID 1 ignores SIGTERM) is as right as its own code
        await using var api = daemon.Client();
        await api.PostAsync($"/v1.50/containers/{expected.Name}/stop?t=0");
    }

    /// <summary>Every container the API acknowledged is there once, with a state and exit code it can have.</summary>
    private static async Task CheckAsync(ApiClient api, Dictionary<string, Expected> known, int round)
    {
        var list = (await api.GetAsync("/v1.50/containers/json?all=1")).Json.EnumerateArray()
            .Select(c => c.GetProperty("Names")[0].GetString()!.TrimStart('/')).ToList();
        Assert.That(list, Is.Unique, $"round {round}: a container is listed twice");
        foreach (var expected in known.Values)
        {
            Assert.That(list, Does.Contain(expected.Name), $"round {round}: {expected.Name} was lost");
            var state = (await api.GetAsync($"/v1.50/containers/{expected.Name}/json")).Json.GetProperty("State");
            // A running container whose process has just ended: its exit is being handled, the state follows at once.
            for (int i = 0; i < 100 && state.GetProperty("Status").GetString() == "running" && !File.Exists($"/proc/{state.GetProperty("Pid").GetInt32()}/status"); i++)
            {
                await Task.Delay(50);
                state = (await api.GetAsync($"/v1.50/containers/{expected.Name}/json")).Json.GetProperty("State");
            }
            string status = state.GetProperty("Status").GetString()!;
            int exitCode = state.GetProperty("ExitCode").GetInt32();
            int pid = state.GetProperty("Pid").GetInt32();
            if (status == "running")
            {
                Assert.That(File.Exists($"/proc/{pid}/status"), Is.True, $"round {round}: {expected.Name} is running with a pid that is gone");
                continue;
            }
            if (!expected.Started && status is "created" or "exited")
                continue; // its start was never acknowledged: cut short by the kill (then killed by the recovery), or never sent
            Assert.That(status, Is.EqualTo("exited"), $"round {round}: {expected.Name} was started");
            var allowed = expected.Stopped ? new[] { expected.ExitCode, 137 } : [expected.ExitCode];
            Assert.That(allowed, Does.Contain(exitCode), $"round {round}: {expected.Name}'s exit code ({state})");
        }
    }
}
