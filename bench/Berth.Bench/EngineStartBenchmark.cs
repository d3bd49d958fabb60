using System.Diagnostics;
using System.Globalization;
using System.Text;
using Berth.Engine;
using Berth.Engine.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Bench;

/// <summary>
/// create + start + wait + remove of `true` in busybox at the engine level (no daemon, no CLI), with the share
/// of each start stage, interleaved pair by pair with `crun run` of an equivalent bundle when crun is installed.
/// </summary>
public static class EngineStartBenchmark
{
    /// <param name="prefix">names the data root (/var/tmp/&lt;prefix&gt;-engine) and the cgroup parents (&lt;prefix&gt;-engine, &lt;prefix&gt;-engine-crun)</param>
    public static async Task<Result> RunAsync(int iterations, string prefix = "berth-bench")
    {
        string dataRoot = Path.Combine("/var/tmp", prefix + "-engine-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new EngineOptions { DataRoot = dataRoot, HelperDirectory = BenchPaths.HelperDirectory, CgroupParent = prefix + "-engine" };
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var images = Berth.TestImages.TestImages.Ensure();
        await using var engine = await ContainerEngine.OpenAsync(options, logging);
        await using (var archive = File.OpenRead(images.BusyboxDockerArchive))
            await engine.Images.LoadAsync(archive);

        using var crun = OciBundle.IsInstalled("crun") ? OciBundle.Create("crun", images.RootfsDirectory, OwnMemoryCgroup() + "/" + prefix + "-engine-crun") : null;
        var total = new Samples("berth engine: create+start+wait+remove");
        var create = new Samples("  create");
        var start = new Samples("  start");
        var rootfs = new Samples("    overlay mount");
        var cgroup = new Samples("    cgroup create");
        var spec = new Samples("    spec (user lookup, init spec)");
        var launcher = new Samples("    berth-launcher (spawn, join cgroups, clone)");
        var init = new Samples("    berth-init (mounts, pivot_root, creds, exec)");
        var wait = new Samples("  run + exit handling (reap, cgroup rmdir, unmount)");
        var remove = new Samples("  remove");
        var crunRun = new Samples("crun run (via nsenter)");
        var nsenter = new Samples("nsenter + true (included in crun's time)");

        for (int i = -3; i < iterations; i++) // three warm-up rounds
        {
            var t = await RunEngineOnce(engine);
            TimeSpan? c = crun?.RunOnce($"bench-{i + 3}");
            TimeSpan? n = crun?.EnterOnly();
            if (i < 0)
                continue;
            total.Add(t.Total);
            create.Add(t.Create);
            start.Add(t.Start);
            rootfs.Add(t.Stages.Rootfs);
            cgroup.Add(t.Stages.Cgroup);
            spec.Add(t.Stages.Spec);
            launcher.Add(t.Stages.Launcher);
            init.Add(t.Stages.Init);
            wait.Add(t.Wait);
            remove.Add(t.Remove);
            if (c is { } crunTime)
                crunRun.Add(crunTime);
            if (n is { } nsTime)
                nsenter.Add(nsTime);
        }
        engine.Cgroups.RemoveParentIfEmpty();
        Directory.Delete(dataRoot, recursive: true);

        var report = new StringBuilder();
        report.AppendLine("# Engine-level start: `true` in busybox");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, kernel {Environment.OSVersion.Version}, {iterations} interleaved pairs after 3 warm-up rounds, cgroup driver: {engine.Cgroups.Description}.");
        report.AppendLine();
        report.AppendLine("| what | min ms | median ms | max ms |");
        report.AppendLine("|---|---|---|---|");
        foreach (var s in new[] { total, create, start, rootfs, cgroup, spec, launcher, init, wait, remove })
            report.AppendLine(s.Row());
        if (crunRun.Count > 0)
        {
            report.AppendLine(crunRun.Row());
            report.AppendLine(nsenter.Row());
            report.AppendLine(Samples.Ratio("ratio berth engine / crun run (per pair)", total, crunRun).Row().Replace(" |", " x |"));
        }
        else
        {
            report.AppendLine();
            report.AppendLine("crun is not installed (`apt-get install crun`): no comparison in this run.");
        }
        return new Result(report.ToString(), total, wait, remove);
    }

    /// <summary>The report, and the series a caller may cite: the whole cycle, run + exit handling, and remove.</summary>
    public sealed record Result(string Markdown, Samples Total, Samples Wait, Samples Remove);

    private sealed record EngineRun(TimeSpan Total, TimeSpan Create, TimeSpan Start, StartTimings Stages, TimeSpan Wait, TimeSpan Remove);

    private static async Task<EngineRun> RunEngineOnce(ContainerEngine engine)
    {
        long t0 = Stopwatch.GetTimestamp();
        var container = engine.Containers.Create(null, new ContainerConfig { Image = "busybox", Cmd = ["true"] }, new HostConfig());
        long t1 = Stopwatch.GetTimestamp();
        var exit = engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        await engine.Containers.StartAsync(container.Id);
        long t2 = Stopwatch.GetTimestamp();
        await exit;
        long t3 = Stopwatch.GetTimestamp();
        await engine.Containers.RemoveAsync(container.Id, force: false);
        long t4 = Stopwatch.GetTimestamp();
        return new EngineRun(Stopwatch.GetElapsedTime(t0, t4), Stopwatch.GetElapsedTime(t0, t1), Stopwatch.GetElapsedTime(t1, t2),
            container.LastStartTimings!, Stopwatch.GetElapsedTime(t2, t3), Stopwatch.GetElapsedTime(t3, t4));
    }

    private static string OwnMemoryCgroup() =>
        File.ReadLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).FirstOrDefault(p => p[1] == "memory")?[2].TrimEnd('/') ?? "";
}
