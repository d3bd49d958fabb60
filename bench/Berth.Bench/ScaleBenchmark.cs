using System.Diagnostics;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// Benchmarks 5 and 6: with 10, 100 and 1000 containers present (created, not running: the harness creates them over
/// the API), `run --rm busybox true` latency and `ps -a` latency, interleaved between berthd and dockerd, and the
/// requests per second of GET /containers/json (<see cref="ApiBenchmark"/>). dockerd's 1000 level is skipped when
/// creating its containers would take longer than the time budget (the report says so).
/// </summary>
public sealed class ScaleBenchmark(BenchContext context, Peers peers)
{
    public static readonly int[] Levels = [10, 100, 1000];

    public sealed record Level(int Count, List<Samples> Latencies, ApiBenchmark.Throughput BerthApi, ApiBenchmark.Throughput? DockerdApi, double BerthdRssMB);

    public List<Level> Results { get; } = [];
    public List<string> Notes { get; } = [];

    public async Task RunAsync(Report report)
    {
        int rounds = context.Count(12, 4);
        var duration = TimeSpan.FromSeconds(context.Count(5, 2));
        var dockerBudget = TimeSpan.FromSeconds(context.Count(240, 60));
        context.Log($"5+6. scale: {string.Join(", ", Levels)} containers present; {rounds} rounds per level, API for {duration.TotalSeconds:F0} s");
        using var berthApi = new EngineApi(peers.Berthd.SocketPath);
        using var dockerApi = peers.Dockerd is { } d ? new EngineApi(d.SocketPath) : null;
        var berthIds = new List<string>();
        var dockerIds = new List<string>();
        bool dockerAtLevel = dockerApi is not null;
        double dockerSecondsPerCreate = 0;

        foreach (int level in Levels)
        {
            var clock = Stopwatch.StartNew();
            await Populate(berthApi, berthIds, level);
            context.Log($"   berthd: {level} containers ({clock.Elapsed.TotalSeconds:F1} s to create {level - (Results.Count == 0 ? 0 : Results[^1].Count)})");
            if (dockerApi is not null && dockerAtLevel)
            {
                int more = level - dockerIds.Count;
                if (dockerSecondsPerCreate > 0 && TimeSpan.FromSeconds(more * dockerSecondsPerCreate) > dockerBudget)
                {
                    dockerAtLevel = false;
                    Notes.Add($"dockerd was not measured with {level} containers: creating {more} more at its measured {dockerSecondsPerCreate * 1000:F0} ms each would take about {more * dockerSecondsPerCreate:F0} s, over this run's budget of {dockerBudget.TotalSeconds:F0} s.");
                }
                else
                {
                    clock.Restart();
                    await Populate(dockerApi, dockerIds, level);
                    dockerSecondsPerCreate = clock.Elapsed.TotalSeconds / more;
                    context.Log($"   dockerd: {level} containers ({clock.Elapsed.TotalSeconds:F1} s to create {more})");
                }
            }

            var variants = new List<(Samples Samples, CliEngine Engine, string[] Argv)>
            {
                (new Samples("berth run --rm (→ berthd)"), peers.BerthCli, peers.BerthCli.RunRm("true")),
                (new Samples("berth ps -a (→ berthd)"), peers.BerthCli, [.. peers.BerthCli.Prefix, "ps", "-a"]),
                (new Samples("docker ps -a (→ berthd)"), peers.DockerToBerthd, [.. peers.DockerToBerthd.Prefix, "ps", "-a"]),
            };
            if (dockerAtLevel && peers.DockerToDockerd is { } dd)
            {
                variants.Add((new Samples("docker run --rm (→ dockerd)"), dd, dd.RunRm("true")));
                variants.Add((new Samples("docker ps -a (→ dockerd)"), dd, [.. dd.Prefix, "ps", "-a"]));
            }
            for (int i = -2; i < rounds; i++)
                foreach (var (samples, engine, argv) in variants)
                {
                    var r = engine.Time(argv);
                    if (i >= 0)
                        samples.Add(r.Elapsed);
                }
            var berthThroughput = await ApiBenchmark.MeasureAsync(peers.Berthd.SocketPath, duration);
            ApiBenchmark.Throughput? dockerThroughput = null;
            if (dockerAtLevel && peers.Dockerd is { } dockerd)
                dockerThroughput = await ApiBenchmark.MeasureAsync(dockerd.SocketPath, duration);
            double rss = ProcessTable.RssKiB(peers.Berthd.Pid) / 1024.0;
            Results.Add(new Level(level, variants.Select(v => v.Samples).ToList(), berthThroughput, dockerThroughput, rss));
            context.Log($"   {level}: berth run {variants[0].Samples.Median:F1} ms, berth ps {variants[1].Samples.Median:F1} ms, GET /containers/json {berthThroughput.RequestsPerSecond:F0}/s (berthd)"
                + (dockerThroughput is null ? "" : $", {dockerThroughput.RequestsPerSecond:F0}/s (dockerd)"));
        }

        var remove = Stopwatch.StartNew();
        await EngineApi.ForEachAsync(berthIds, 4, id => berthApi.RemoveAsync(id));
        Notes.Add($"Removing the {berthIds.Count} containers from berthd over the API (4 at a time) took {remove.Elapsed.TotalSeconds:F1} s.");
        if (dockerApi is not null)
        {
            remove.Restart();
            await EngineApi.ForEachAsync(dockerIds, 4, id => dockerApi.RemoveAsync(id));
            Notes.Add($"Removing the {dockerIds.Count} containers from dockerd over the API (4 at a time) took {remove.Elapsed.TotalSeconds:F1} s.");
        }
        WriteSections(report, rounds, duration);
    }

    private static async Task Populate(EngineApi api, List<string> ids, int level)
    {
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        await EngineApi.ForEachAsync(Enumerable.Range(0, level - ids.Count), 4, async _ => created.Add(await api.CreateAsync(["true"])));
        ids.AddRange(created);
    }

    private void WriteSections(Report report, int rounds, TimeSpan duration)
    {
        var top = Results[^1];
        var api = new StringBuilder();
        api.AppendLine($"With {top.Count} containers present (created, not running), GET /containers/json?all=1 from {top.BerthApi.Connections} keep-alive connections for {duration.TotalSeconds:F0} s each; the client runs in the harness and shares the 2 CPUs with the daemon.");
        api.AppendLine();
        var apiRows = new List<string[]>();
        foreach (var level in Results)
        {
            apiRows.Add([$"berthd, {level.Count} containers", Report.F(level.BerthApi.RequestsPerSecond, 0), Report.F(level.BerthApi.MeanLatencyMs), Report.F(level.BerthApi.BodyBytes / 1024.0, 1)]);
            if (level.DockerdApi is { } d)
                apiRows.Add([$"dockerd, {level.Count} containers", Report.F(d.RequestsPerSecond, 0), Report.F(d.MeanLatencyMs), Report.F(d.BodyBytes / 1024.0, 1)]);
        }
        api.AppendLine(Report.Table(["daemon", "requests/s", "mean latency ms", "body KiB"], apiRows));
        api.AppendLine($"`ps -a` with {top.Count} containers (ms, {rounds} interleaved rounds):");
        api.AppendLine();
        api.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], top.Latencies.Where(s => s.Name.Contains(" ps ")).Select(s => Report.Row(s))));
        report.Section("5. API", api.ToString());

        var scale = new StringBuilder();
        scale.AppendLine($"Medians in ms over {rounds} interleaved rounds (after 2 warm-up rounds) at each level; the containers present are created, not running. berthd's RSS is read after each level.");
        scale.AppendLine();
        var names = Results.SelectMany(r => r.Latencies.Select(s => s.Name)).Distinct().ToList();
        var rows = names.Select(name => new[] { name }.Concat(Results.Select(r => r.Latencies.FirstOrDefault(s => s.Name == name) is { } s ? Report.F(s.Median, 1) : "not measured")).ToArray()).ToList();
        rows.Add(["GET /containers/json requests/s (berthd)", .. Results.Select(r => Report.F(r.BerthApi.RequestsPerSecond, 0))]);
        rows.Add(["GET /containers/json requests/s (dockerd)", .. Results.Select(r => r.DockerdApi is { } d ? Report.F(d.RequestsPerSecond, 0) : "not measured")]);
        rows.Add(["berthd RSS MB", .. Results.Select(r => Report.F(r.BerthdRssMB, 1))]);
        scale.AppendLine(Report.Table(["what", .. Results.Select(r => $"{r.Count} containers")], rows));
        foreach (string note in Notes)
            scale.AppendLine("- " + note);
        report.Section("6. Scale: 10 → 100 → 1000 containers", scale.ToString());
    }
}
