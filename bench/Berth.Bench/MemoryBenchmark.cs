using System.Text;

namespace Berth.Bench;

/// <summary>
/// Benchmark 3: engine memory. berthd's idle RSS (fresh, and idle again after benchmarks 1 and 2), and engine memory
/// per running container, taken by benchmark 2 with its containers running: PSS (smaps_rollup) of every engine
/// process. Berth has no per-container helper (berthd holds the pipes), so its cost per container is berthd's growth
/// divided by the count; docker's is the containerd shims' PSS (dockerd and containerd growth shown apart); podman's
/// is conmon's PSS (it has no daemon).
/// </summary>
public sealed class MemoryBenchmark(BenchContext context, Peers peers)
{
    /// <summary>One fresh berthd through the same workload, with or without a GC setting.</summary>
    public sealed record GcTrial(string Setting, double FreshMB, double AfterRunsMB, double WithContainersMB, double PerContainerMB, double IdleAfterMB);

    public const int TrialRuns = 30;

    public List<GcTrial> GcTrials { get; } = [];

    /// <summary>Engine processes' memory at one moment: the daemons, and the per-container helpers.</summary>
    public sealed record Snapshot(long DaemonPssKiB, long DaemonRssKiB, long HelpersPssKiB, int Helpers, Dictionary<string, long> DaemonRollup);

    /// <summary>One engine's memory with N containers running, against just before they started.</summary>
    public sealed record PerContainer(string Engine, int Count, Snapshot Before, Snapshot With)
    {
        public double DaemonGrowthKiBEach => (With.DaemonPssKiB - Before.DaemonPssKiB) / (double)Count;
        public double HelperKiBEach => With.HelpersPssKiB / (double)Count;
        /// <summary>What the target is judged on: helpers for docker and podman, daemon growth for berth.</summary>
        public double EngineKiBEach => With.Helpers > 0 ? HelperKiBEach : DaemonGrowthKiBEach;
    }

    public Snapshot? Fresh { get; private set; }
    public Snapshot? IdleAfterWork { get; private set; }
    public Dictionary<string, long> IdleDockerd { get; } = [];
    public List<PerContainer> Samples { get; } = [];

    public Snapshot Take(CliEngine engine)
    {
        if (engine == peers.DockerToDockerd && peers.Dockerd is { } dockerd)
        {
            var (d, c, shims) = dockerd.Processes();
            long daemons = ProcessTable.PssKiB(d) + (c is { } cp ? ProcessTable.PssKiB(cp) : 0);
            long rss = ProcessTable.RssKiB(d) + (c is { } cr ? ProcessTable.RssKiB(cr) : 0);
            return new Snapshot(daemons, rss, shims.Sum(ProcessTable.PssKiB), shims.Count, ProcessTable.Rollup(d));
        }
        if (engine == peers.PodmanCli && peers.PodmanPeer is { } podman)
        {
            var conmons = podman.Conmons();
            return new Snapshot(0, 0, conmons.Sum(ProcessTable.PssKiB), conmons.Count, []);
        }
        int pid = peers.Berthd.Pid;
        return new Snapshot(ProcessTable.PssKiB(pid), ProcessTable.RssKiB(pid), 0, 0, ProcessTable.Rollup(pid));
    }

    public void RecordFresh()
    {
        Fresh = Take(peers.BerthCli);
        if (peers.Dockerd is { } dockerd)
        {
            var (d, c, _) = dockerd.Processes();
            IdleDockerd["dockerd"] = ProcessTable.RssKiB(d);
            if (c is { } cp)
                IdleDockerd["containerd"] = ProcessTable.RssKiB(cp);
        }
    }

    /// <summary>
    /// berthd idle again: it gives the GC's grown regions back once it has been quiet for 3 to 6 seconds
    /// (IdleMemoryTrimmer), so the snapshot waits for that, as a daemon between bursts of work would.
    /// </summary>
    public void RecordIdleAfterWork()
    {
        Thread.Sleep(IdleWait);
        IdleAfterWork = Take(peers.BerthCli);
    }

    /// <summary>How long berthd is left alone before an idle snapshot: its trimmer runs after 3 to 6 quiet seconds.</summary>
    public const int IdleWait = 8000;

    public void Add(PerContainer sample) => Samples.Add(sample);

    /// <summary>
    /// Where berthd's memory goes: two fresh berthds, one as shipped (its binary sets the GC's gen0 budget to 4 MiB)
    /// and one with the GC's default budget (sized from the CPU's last-level cache), each through the same workload:
    /// busybox loaded, 30 `run --rm`, 50 detached containers, removed.
    /// </summary>
    public void RunGcExperiment()
    {
        context.Log("3b. berthd memory: its 4 MiB gen0 budget against the GC's default");
        foreach (var (setting, env) in new (string, Dictionary<string, string>?)[]
                 {
                     ("as shipped (a 4 MiB gen0 budget built in)", null),
                     ("DOTNET_GCgen0size=0 (the GC's default budget)", new() { ["DOTNET_GCgen0size"] = "0" }),
                 })
        {
            using var daemon = BerthDaemon.Start(context, "berthd-gc" + GcTrials.Count, env);
            var cli = new CliEngine("berth", [peers.BerthCli.Prefix[0], "-H", daemon.Host], peers.BerthCli.RunExtra);
            cli.Cli("load", "-i", peers.Images.BusyboxDockerArchive).Check();
            double Rss() => ProcessTable.RssKiB(daemon.Pid) / 1024.0;
            double fresh = Rss();
            for (int i = 0; i < TrialRuns; i++)
                cli.Time(cli.RunRm("true"));
            Thread.Sleep(IdleWait);
            double afterRuns = Rss();
            long pssBefore = ProcessTable.PssKiB(daemon.Pid);
            var ids = Enumerable.Range(0, DensityBenchmark.Containers).Select(_ => cli.Time(cli.RunDetached("sleep", "100000")).Stdout.Trim()).ToList();
            Thread.Sleep(IdleWait);
            double with = Rss();
            double perContainer = (ProcessTable.PssKiB(daemon.Pid) - pssBefore) / 1024.0 / ids.Count;
            cli.Time([.. cli.Prefix, "rm", "-f", .. ids]);
            Thread.Sleep(IdleWait);
            GcTrials.Add(new GcTrial(setting, fresh, afterRuns, with, perContainer, Rss()));
            daemon.Stop();
        }
    }

    public static double MB(double kib) => kib / 1024.0;

    private static string L3()
    {
        try
        {
            return File.ReadAllText("/sys/devices/system/cpu/cpu0/cache/index3/size").Trim().Replace("K", " KiB");
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The GC experiment's finding in one sentence, for a missed memory target.</summary>
    public string GcFinding()
    {
        if (GcTrials.Count < 2)
            return "";
        var (a, b) = (GcTrials[0], GcTrials[1]);
        return $". Evidence (3b): the same workload on a fresh berthd leaves it at {Report.F(a.IdleAfterMB, 1)} MB RSS as shipped (4 MiB gen0 budget) and {Report.F(b.IdleAfterMB, 1)} MB with the GC's default budget (per container {Report.F(a.PerContainerMB, 3)} against {Report.F(b.PerContainerMB, 3)} MB)";
    }

    public void Write(Report report)
    {
        var body = new StringBuilder();
        body.AppendLine("berthd at rest (no container), RSS and PSS in MB; the anonymous part is the managed heap and native allocations, the file part is mapped code (berthd is one NativeAOT binary):");
        body.AppendLine();
        var idleRows = new List<string[]>();
        foreach (var (name, s) in new[] { ("berthd fresh (started, busybox loaded)", Fresh), ("berthd idle after benchmarks 1 and 2", IdleAfterWork) })
            if (s is not null)
                idleRows.Add([name, Report.F(MB(s.DaemonRssKiB)), Report.F(MB(s.DaemonPssKiB)), Report.F(MB(s.DaemonRollup.GetValueOrDefault("Pss_Anon"))), Report.F(MB(s.DaemonRollup.GetValueOrDefault("Pss_File")))]);
        foreach (var (name, kib) in IdleDockerd)
            idleRows.Add([name + " fresh (for comparison)", Report.F(MB(kib)), "", "", ""]);
        body.AppendLine(Report.Table(["process", "RSS MB", "PSS MB", "PSS anon MB", "PSS file MB"], idleRows));
        body.AppendLine();
        body.AppendLine("Engine memory per running container (PSS, MB), with the containers of benchmark 2 running (median over its rounds):");
        body.AppendLine();
        var rows = new List<string[]>();
        foreach (var group in Samples.GroupBy(s => s.Engine))
        {
            var list = group.ToList();
            double Med(Func<PerContainer, double> f) => list.Select(f).Order().ElementAt(list.Count / 2);
            rows.Add([group.Key, list[0].Count.ToString(), Report.F(MB(Med(s => s.Before.DaemonPssKiB))), Report.F(MB(Med(s => s.With.DaemonPssKiB))),
                Report.F(MB(Med(s => s.DaemonGrowthKiBEach)), 3), list[0].With.Helpers > 0 ? $"{list[0].With.Helpers} × {Report.F(MB(Med(s => s.HelperKiBEach)), 3)}" : "none",
                "**" + Report.F(MB(Med(s => s.EngineKiBEach)), 3) + "**"]);
        }
        body.AppendLine(Report.Table(["engine", "containers", "daemon PSS before MB", "daemon PSS with them MB", "daemon growth per container MB",
            "per-container helpers (PSS each, MB)", "engine memory per container MB"], rows));
        body.AppendLine($"Engine memory per container: berth = berthd's PSS growth / N (no helper process); docker → dockerd = containerd-shim PSS / N (dockerd and containerd growth in its own column); podman = conmon PSS / N. Each engine is measured in steady state: {IdleWait / 1000} s after its last start, its containers running.");
        if (GcTrials.Count > 0)
        {
            body.AppendLine();
            body.AppendLine($"3b. What berthd's memory is: two fresh berthds through the same workload (busybox loaded; {TrialRuns} `run --rm`; {DensityBenchmark.Containers} detached containers; all removed, then {IdleWait / 1000} s idle), one as shipped (its binary sets the GC's gen0 budget to 4 MiB) and one with the GC's default budget (NativeAOT's workstation GC sizes it from the last-level cache, which this VM reports as {L3()}). RSS in MB, per container in PSS MB:");
            body.AppendLine();
            body.AppendLine(Report.Table(["berthd", "fresh", $"after {TrialRuns} run --rm", $"{DensityBenchmark.Containers} running", "per container", "idle after rm"],
                GcTrials.Select(t => new[] { t.Setting, Report.F(t.FreshMB, 1), Report.F(t.AfterRunsMB, 1), Report.F(t.WithContainersMB, 1), Report.F(t.PerContainerMB, 3), Report.F(t.IdleAfterMB, 1) })));
        }
        report.Section("3. Memory", body.ToString());
    }

    /// <summary>berthd's growth per running container in benchmark 2 (median of rounds), in MB.</summary>
    public double? BerthPerContainerMB()
    {
        var berth = Samples.Where(s => s.Engine == peers.BerthCli.Name).Select(s => s.EngineKiBEach).Order().ToList();
        return berth.Count == 0 ? null : MB(berth[berth.Count / 2]);
    }

    /// <summary>
    /// What the per-container target is judged on: the larger of benchmark 2's number (a berthd whose heap has already
    /// grown through benchmark 1) and the fresh as-shipped berthd of 3b: the growth depends on the GC's state.
    /// </summary>
    public (double MB, string How)? BerthPerContainerJudged()
    {
        double? density = BerthPerContainerMB();
        double? fresh = GcTrials.Count > 0 ? GcTrials[0].PerContainerMB : null;
        if (density is null && fresh is null)
            return null;
        string how = $"the larger of {(density is { } d ? Report.F(d, 3) + " MB (benchmark 2: berthd after benchmark 1)" : "")}{(density is not null && fresh is not null ? " and " : "")}{(fresh is { } f ? Report.F(f, 3) + " MB (3b: a fresh berthd, as shipped)" : "")}; berthd PSS growth / {DensityBenchmark.Containers}";
        return (Math.Max(density ?? 0, fresh ?? 0), how);
    }

    public double? IdleRssMB() => Fresh is null ? null : MB(Math.Max(Fresh.DaemonRssKiB, IdleAfterWork?.DaemonRssKiB ?? 0));

    /// <summary>What berthd's idle memory consists of, for a missed target.</summary>
    public string IdleComposition()
    {
        var s = IdleAfterWork ?? Fresh;
        if (s is null)
            return "";
        var r = s.DaemonRollup;
        return $"berthd RSS {Report.F(MB(s.DaemonRssKiB), 1)} MB = anonymous {Report.F(MB(r.GetValueOrDefault("Anonymous")), 1)} MB (managed heap, thread stacks, native allocations) + file-backed {Report.F(MB(r.GetValueOrDefault("Rss") - r.GetValueOrDefault("Anonymous")), 1)} MB (the mapped NativeAOT binary and libraries)";
    }

    /// <summary>Why berthd grows per container, for a missed target: the fresh as-shipped trial against the default-budget one, and benchmark 2's warm berthd.</summary>
    public string PerContainerCause()
    {
        if (GcTrials.Count < 2)
            return GrowthComposition();
        var (a, b) = (GcTrials[0], GcTrials[1]);
        string warm = BerthPerContainerMB() is { } w ? $"; a berthd whose heap had already grown through benchmark 1 added {Report.F(w, 3)} MB per container in benchmark 2" : "";
        return $"the GC's allocation budget rather than live data — on a fresh berthd each running container adds {Report.F(a.PerContainerMB, 3)} MB (PSS, anonymous memory) as shipped (4 MiB gen0 budget) and {Report.F(b.PerContainerMB, 3)} MB with the GC's default budget (3b){warm}";
    }

    /// <summary>What berthd's growth per container consists of, for a missed target.</summary>
    public string GrowthComposition()
    {
        var berth = Samples.Where(s => s.Engine == peers.BerthCli.Name).ToList();
        if (berth.Count == 0)
            return "";
        var s = berth[berth.Count / 2];
        double anon = (s.With.DaemonRollup.GetValueOrDefault("Pss_Anon") - s.Before.DaemonRollup.GetValueOrDefault("Pss_Anon")) / (double)s.Count;
        double file = (s.With.DaemonRollup.GetValueOrDefault("Pss_File") - s.Before.DaemonRollup.GetValueOrDefault("Pss_File")) / (double)s.Count;
        return $"berthd's growth per container is anonymous memory {Report.F(MB(anon), 3)} MB (managed objects, buffers, thread stacks) and file-backed {Report.F(Math.Abs(MB(file)) < 0.0005 ? 0 : MB(file), 3)} MB";
    }
}
