using System.Diagnostics;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// Where the time of `berth run --rm busybox true` goes: the CLI process alone (`berth --version`), then the same
/// requests the CLI makes, sent by the harness and timed one by one (create, attach, wait, start, exit and
/// auto-removal), the engine's own start stages from berthd's debug log (StartTimings), and `strace -c` of berthd
/// during a burst of runs. The detached path (create + start) is timed the same way for benchmark 2.
/// </summary>
public sealed class RunProfile(BenchContext context, Peers peers)
{
    public List<Samples> Stages { get; } = [];
    public Samples CliStart { get; private set; } = null!;
    public Samples DockerCliStart { get; private set; } = null!;
    public Samples DetachedCreate { get; private set; } = null!;
    public Samples DetachedStart { get; private set; } = null!;
    public Samples DetachedTotal { get; private set; } = null!;
    public Samples CliDetached { get; private set; } = null!;
    public string StraceTop { get; private set; } = "";

    /// <summary>(stage, median ms) of one `run --rm`, in order; the engine's start split into its stages.</summary>
    public List<(string Stage, double Ms)> Breakdown { get; } = [];

    public async Task RunAsync(Report report)
    {
        int n = context.Count(30, 8);
        context.Log($"1b. profile of berth run --rm: {n} runs of each step");
        CliStart = new Samples("berth --version (CLI process start and exit, no daemon)");
        DockerCliStart = new Samples("docker --version (docker CLI process start and exit)");
        for (int i = 0; i < n; i++)
        {
            CliStart.Add(Exec.Run([peers.BerthCli.Prefix[0], "--version"]).Check().Elapsed);
            DockerCliStart.Add(Exec.Run([peers.DockerCli, "--version"], env: peers.DockerToBerthd.Env).Check().Elapsed);
        }

        var alone = new Samples("berth run --rm, back to back (no other engine in between, unlike section 1)");
        for (int i = 0; i < n; i++)
            alone.Add(peers.BerthCli.Time(peers.BerthCli.RunRm("true")).Elapsed);

        List<Samples> detachedStages;
        var create = new Samples("POST /containers/create");
        var attach = new Samples("POST /containers/{id}/attach (hijack)");
        var waitHead = new Samples("POST /containers/{id}/wait?condition=removed (headers)");
        var start = new Samples("POST /containers/{id}/start");
        var exit = new Samples("run, exit and auto-removal (start answered → wait body)");
        var total = new Samples("all requests of one run --rm");
        using var api = new EngineApi(peers.Berthd.SocketPath);
        DateTime since = DateTime.UtcNow;
        for (int i = -2; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            string id = await api.CreateAsync(["true"], attach: true, autoRemove: true);
            long t1 = Stopwatch.GetTimestamp();
            var attachRequest = new Berth.Http.HttpClientRequest("POST", $"/containers/{id}/attach?stream=1&stdout=1&stderr=1");
            await using var stream = await api.Client.HijackAsync(attachRequest);
            long t2 = Stopwatch.GetTimestamp();
            using var wait = await api.Client.PostAsync($"/containers/{id}/wait?condition=removed");
            long t3 = Stopwatch.GetTimestamp();
            await api.PostAsync($"/containers/{id}/start");
            long t4 = Stopwatch.GetTimestamp();
            await wait.ReadAsBytesAsync();
            long t5 = Stopwatch.GetTimestamp();
            await stream.CopyToAsync(Stream.Null);
            if (i < 0)
            {
                since = DateTime.UtcNow;
                continue;
            }
            create.Add(Stopwatch.GetElapsedTime(t0, t1));
            attach.Add(Stopwatch.GetElapsedTime(t1, t2));
            waitHead.Add(Stopwatch.GetElapsedTime(t2, t3));
            start.Add(Stopwatch.GetElapsedTime(t3, t4));
            exit.Add(Stopwatch.GetElapsedTime(t4, t5));
            total.Add(Stopwatch.GetElapsedTime(t0, t5));
        }
        var timings = peers.Berthd.StartTimingsSince(since);
        var engineStages = new List<Samples>();
        foreach (var (key, label) in new[] { ("Rootfs", "overlay mount"), ("Cgroup", "cgroup create"), ("Spec", "spec (user lookup, init spec)"), ("Network", "network (netns, veth, address, ports, files)"),
                     ("Launcher", "berth-launcher (spawn, join cgroups, clone)"), ("Init", "berth-init (mounts, pivot_root, creds, exec)"), ("Total", "engine start total") })
        {
            var s = new Samples("    engine: " + label);
            foreach (var t in timings)
                if (t.TryGetValue(key, out double ms))
                    s.AddValue(ms);
            if (s.Count > 0)
                engineStages.Add(s);
        }

        // `run -d` as the CLI does it (ping, create, wait for next-exit whose headers come back before start, start, exit),
        // then the same requests sent by the harness: the difference is the CLI process's own cost.
        CliDetached = new Samples("berth run -d sleep, back to back (CLI)");
        var detachedIds = new List<string>();
        for (int i = 0; i < n; i++)
        {
            var r = peers.BerthCli.Time(peers.BerthCli.RunDetached("sleep", "100000"));
            CliDetached.Add(r.Elapsed);
            detachedIds.Add(r.Stdout.Trim());
        }
        var ping = new Samples("detached: HEAD /_ping");
        DetachedCreate = new Samples("detached: POST /containers/create");
        var detachedWait = new Samples("detached: POST /containers/{id}/wait?condition=next-exit (headers)");
        DetachedStart = new Samples("detached: POST /containers/{id}/start");
        DetachedTotal = new Samples("detached: all requests of one run -d");
        for (int i = 0; i < n; i++)
        {
            using var fresh = new EngineApi(peers.Berthd.SocketPath); // a new connection, as a new CLI process has
            long t0 = Stopwatch.GetTimestamp();
            using (var head = await fresh.Client.SendAsync(new Berth.Http.HttpClientRequest("HEAD", "/_ping")))
                await head.ReadAsBytesAsync();
            long t1 = Stopwatch.GetTimestamp();
            string id = await fresh.CreateAsync(["sleep", "100000"]);
            long t2 = Stopwatch.GetTimestamp();
            var waiting = await fresh.Client.PostAsync($"/containers/{id}/wait?condition=next-exit");
            long t3 = Stopwatch.GetTimestamp();
            await fresh.PostAsync($"/containers/{id}/start");
            long t4 = Stopwatch.GetTimestamp();
            waiting.Dispose(); // abandoned, as the CLI does
            ping.Add(Stopwatch.GetElapsedTime(t0, t1));
            DetachedCreate.Add(Stopwatch.GetElapsedTime(t1, t2));
            detachedWait.Add(Stopwatch.GetElapsedTime(t2, t3));
            DetachedStart.Add(Stopwatch.GetElapsedTime(t3, t4));
            DetachedTotal.Add(Stopwatch.GetElapsedTime(t0, t4));
            detachedIds.Add(id);
        }
        foreach (string id in detachedIds)
            await api.RemoveAsync(id);
        detachedStages = [CliDetached, ping, DetachedCreate, detachedWait, DetachedStart, DetachedTotal];

        StraceTop = Strace.During(peers.Berthd.Pid, () =>
        {
            for (int i = 0; i < 10; i++)
                peers.BerthCli.Time(peers.BerthCli.RunRm("true"));
        });

        context.Log("   engine level (in-process, interleaved with crun run)");
        var engineLevel = await EngineStartBenchmark.RunAsync(n, context.Prefix);

        Stages.AddRange([alone, CliStart, DockerCliStart, create, attach, waitHead, start, .. engineStages, exit, total, .. detachedStages]);
        double engineTotal = engineStages.FirstOrDefault(s => s.Name.EndsWith("engine start total"))?.Median ?? 0;
        Breakdown.Add(("berth CLI process (start, parse, exit)", CliStart.Median));
        Breakdown.Add(("create request", create.Median));
        Breakdown.Add(("attach request", attach.Median));
        Breakdown.Add(("wait request (headers)", waitHead.Median));
        foreach (var s in engineStages.Where(s => !s.Name.EndsWith("engine start total")))
            Breakdown.Add(("start: " + s.Name.Trim().Replace("engine: ", ""), s.Median));
        Breakdown.Add(("start: API and state outside the engine's stages", Math.Max(0, start.Median - engineTotal)));
        // The engine-level run splits "run, exit and auto-removal" into exit handling and removal; scale it to the daemon's median.
        double split = engineLevel.Wait.Median + engineLevel.Remove.Median;
        if (split > 0)
        {
            Breakdown.Add(("run of `true`, reap and exit handling: cgroup rmdir, unmount (est.)", exit.Median * engineLevel.Wait.Median / split));
            Breakdown.Add(("auto-removal: container directory and state (est.)", exit.Median * engineLevel.Remove.Median / split));
        }
        else
            Breakdown.Add(("run, exit and auto-removal", exit.Median));

        var body = new StringBuilder();
        body.AppendLine($"{n} runs of each step after 2 warm-up runs (ms). The requests are the ones `berth run --rm` sends, sent by the harness over the same kind of Unix-socket connection; the engine rows are berthd's own StartTimings (debug log) for those starts.");
        body.AppendLine();
        body.AppendLine(Report.Table(["step", "min ms", "median ms", "max ms"], Stages.Select(s => Report.Row(s, 2))));
        body.AppendLine($"`strace -c -f` of berthd during 10 `berth run --rm` (syscall time, all berthd threads and the helpers it forks; strace slows everything, so only the proportions count):");
        body.AppendLine();
        body.AppendLine("```");
        body.AppendLine(StraceTop.TrimEnd());
        body.AppendLine("```");
        body.AppendLine();
        body.AppendLine($"The same cycle at the engine level — Berth.Engine called in-process by the harness (no daemon, no CLI, no HTTP), {n} rounds interleaved with `crun run`; it splits the time after start into the run with exit handling, and the removal:");
        body.AppendLine();
        body.AppendLine(string.Join('\n', engineLevel.Markdown.Split('\n').Where(l => !l.StartsWith("# ", StringComparison.Ordinal))).Trim());
        report.Section("1b. Where the time of `berth run --rm` goes", body.ToString());
    }

    /// <summary>The costliest stage of `berth run --rm` with its median, and the next two, as one sentence.</summary>
    public string Costliest()
    {
        if (Breakdown.Count < 3)
            return "";
        var top = Breakdown.OrderByDescending(b => b.Ms).Take(3).ToList();
        double sum = Breakdown.Sum(b => b.Ms);
        return $"costliest stage: {top[0].Stage}, {Report.F(top[0].Ms)} ms of the ~{Report.F(sum, 1)} ms its stages add up to in 1b (medians of 1b's own runs); then {top[1].Stage} ({Report.F(top[1].Ms)} ms) and {top[2].Stage} ({Report.F(top[2].Ms)} ms) — see 1b";
    }
}
