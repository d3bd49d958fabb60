using System.Text;

namespace Berth.Bench;

/// <summary>
/// Benchmark 2: 50 detached `sleep` containers started one after the other from the CLI (as a shell loop would),
/// then one `stop -t 0` of all of them (sleep as PID 1 ignores SIGTERM, so every engine kills at once) and one `rm`
/// of all of them. Engines take turns round by round. With the containers running, <see cref="MemoryBenchmark"/>
/// measures the engine's memory per container.
/// </summary>
public sealed class DensityBenchmark(BenchContext context, Peers peers, MemoryBenchmark memory)
{
    public const int Containers = 50;

    /// <summary>The containers' `sleep` argument, distinct per run, so that their processes can be told from any other sleep.</summary>
    private readonly string _sleep = (900000 + Random.Shared.Next(99999)).ToString();

    public sealed record EngineResult(CliEngine Engine, Samples Start, Samples Stop, Samples Remove);

    public List<EngineResult> Results { get; } = [];

    /// <summary>Per engine, the memory cgroups its running containers were in (the container's own leaf replaced by "&lt;id&gt;").</summary>
    public Dictionary<string, SortedSet<string>> Placement { get; } = [];

    public void Run(Report report)
    {
        int rounds = context.Count(4, 1);
        var engines = peers.CliEngines.ToList();
        context.Log($"2. {Containers} detached sleep containers: {rounds} round(s) of {string.Join(", ", engines.Select(e => e.Name))}");
        foreach (var engine in engines)
            Results.Add(new EngineResult(engine, new Samples(engine.Name), new Samples(engine.Name), new Samples(engine.Name)));
        // One container each first, so that no engine pays a first-run cost inside the timed loop.
        foreach (var engine in engines)
            engine.Cli("rm", "-f", engine.Time(engine.RunDetached("sleep", _sleep)).Stdout.Trim()).Check();
        for (int round = 0; round < rounds; round++)
        {
            foreach (var result in Results)
            {
                var engine = result.Engine;
                // Both snapshots in steady state: the engine idle (berthd trimmed after the previous round's work).
                Thread.Sleep(MemoryBenchmark.IdleWait);
                var before = memory.Take(engine);
                var ids = new List<string>();
                var startTotal = TimeSpan.Zero;
                for (int i = 0; i < Containers; i++)
                {
                    var r = engine.Time(engine.RunDetached("sleep", _sleep));
                    startTotal += r.Elapsed;
                    ids.Add(r.Stdout.Trim());
                }
                // Steady state, as containers mostly live: the engine idle with its containers running (berthd gives
                // back what the burst of starts grew its heap by once it is quiet; see MemoryBenchmark.IdleWait).
                Thread.Sleep(MemoryBenchmark.IdleWait);
                RecordPlacement(engine.Name);
                memory.Add(new MemoryBenchmark.PerContainer(engine.Name, Containers, before, memory.Take(engine)));
                result.Start.Add(startTotal);
                result.Stop.Add(engine.Time([.. engine.Prefix, "stop", "-t", "0", .. ids]).Elapsed);
                result.Remove.Add(engine.Time([.. engine.Prefix, "rm", .. ids]).Elapsed);
                context.Log($"   {engine.Name}: start {startTotal.TotalSeconds:F2} s, stop {result.Stop.Values[^1] / 1000:F2} s, rm {result.Remove.Values[^1] / 1000:F2} s");
            }
        }

        var body = new StringBuilder();
        body.AppendLine($"{rounds} round(s); in each, every engine in turn starts {Containers} containers with `run -d busybox sleep {_sleep}` one after the other (the time is the sum of the {Containers} CLI runs), then stops them all with one `stop -t 0` and removes them with one `rm`. Seconds.");
        body.AppendLine();
        var rows = Results.Select(r => new[]
        {
            r.Engine.Name, Report.F(r.Start.Min / 1000), "**" + Report.F(r.Start.Median / 1000) + "**", Report.F(r.Start.Max / 1000),
            Report.F(r.Start.Median / Containers, 1), Report.F(r.Stop.Median / 1000), Report.F(r.Remove.Median / 1000),
        });
        body.AppendLine(Report.Table(["engine", "start min s", "start median s", "start max s", "ms per start", "stop all (median) s", "rm all (median) s"], rows));
        var berth = Results[0].Start;
        var ratios = Results.Skip(1).Select(r => Samples.Ratio($"{r.Engine.Name} / berth → berthd (start of {Containers})", r.Start, berth)).ToList();
        if (ratios.Count > 0)
        {
            body.AppendLine("Per-round ratios:");
            body.AppendLine();
            body.AppendLine(Report.Table(["ratio", "min", "median", "max"], ratios.Select(Report.RatioRow)));
        }
        body.AppendLine("Where each engine put its containers (memory cgroup of the running `sleep` processes; the caller's own memory cgroup is `" + context.OwnMemoryCgroup + "`):");
        body.AppendLine();
        body.AppendLine(Report.Table(["engine", "memory cgroup of its containers", "below the caller's"], Placement.Select(p => new[]
        {
            p.Key, string.Join(", ", p.Value.Select(v => "`" + v + "`")),
            p.Value.All(v => v.StartsWith(context.OwnMemoryCgroup + "/", StringComparison.Ordinal)) ? "yes" : "**NO**",
        })));
        report.Section($"2. {Containers} detached containers", body.ToString());
    }

    private void RecordPlacement(string engine)
    {
        var set = Placement.TryGetValue(engine, out var existing) ? existing : Placement[engine] = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (pid, cmdline) in ProcessTable.All())
        {
            if (cmdline != "sleep " + _sleep)
                continue;
            try
            {
                string? line = File.ReadLines($"/proc/{pid}/cgroup").FirstOrDefault(l => l.Split(':')[1] == "memory");
                if (line is not null)
                    set.Add(Path.GetDirectoryName(line.Split(':', 3)[2])! + "/<id>");
            }
            catch (IOException)
            {
            }
        }
    }
}
