using System.Text;

namespace Berth.Bench;

/// <summary>
/// Benchmark 1: `run --rm busybox true`, each way of running it once per round, rounds interleaved (A B C ... A B C),
/// after warm-up rounds. Every row is a process the harness spawns and waits for, so each includes the spawn cost
/// shown in the last row.
/// </summary>
public sealed class RunRmBenchmark(BenchContext context, Peers peers)
{
    private sealed record Variant(Samples Samples, Func<int, string[]> Argv, IReadOnlyDictionary<string, string>? Env);

    public Samples Berth { get; private set; } = null!;
    public Samples DockerToBerthd { get; private set; } = null!;

    /// <summary>The same `berth run --rm` with an older build (<see cref="Peers.BaselineCli"/>); null without one.</summary>
    public Samples? Baseline { get; private set; }
    public Samples? DockerToDockerd { get; private set; }
    public Samples? Podman { get; private set; }
    public Samples? Runc { get; private set; }
    public Samples? Crun { get; private set; }
    public Samples? CrunNet { get; private set; }
    public Samples Floor { get; private set; } = null!;
    public List<Samples> All { get; } = [];

    public void Run(Report report)
    {
        int rounds = context.Count(40, 10), warmup = 3;
        context.Log($"1. run --rm busybox true: {rounds} rounds after {warmup} warm-up rounds");
        var variants = new List<Variant>();
        Variant Add(string name, Func<int, string[]> argv, IReadOnlyDictionary<string, string>? env = null)
        {
            var v = new Variant(new Samples(name), argv, env);
            variants.Add(v);
            return v;
        }
        Berth = Add("berth run --rm (berth CLI → berthd)", _ => peers.BerthCli.RunRm("true")).Samples;
        if (peers.BaselineCli is { } baseline)
            Baseline = Add($"berth run --rm ({baseline.Name})", _ => baseline.RunRm("true")).Samples;
        DockerToBerthd = Add("docker run --rm (docker CLI → berthd)", _ => peers.DockerToBerthd.RunRm("true"), peers.DockerToBerthd.Env).Samples;
        if (peers.DockerToDockerd is { } dd)
            DockerToDockerd = Add("docker run --rm (docker CLI → dockerd)", _ => dd.RunRm("true"), dd.Env).Samples;
        if (peers.PodmanCli is { } pm)
            Podman = Add("podman run --rm", _ => pm.RunRm("true")).Samples;
        if (peers.Runc is { } runc)
            Runc = Add("runc run (OCI bundle)", i => runc.RunArgs($"r{i + warmup}")).Samples;
        Samples? nsenter = null;
        if (peers.Crun is { } crun)
        {
            Crun = Add("crun run (OCI bundle, via nsenter)", i => crun.RunArgs($"c{i + warmup}")).Samples;
            nsenter = Add("  nsenter + true (inside crun's row)", _ => crun.EnterOnlyArgs()).Samples;
        }
        Floor = Add("floor: unshare 6 ns + mount proc + chroot + true", _ => peers.FloorArgs).Samples;
        var spawn = Add("spawn + wait of /bin/true (harness overhead, in every row)", _ => ["true"]).Samples;

        var measuredSince = DateTime.UtcNow;
        for (int i = -warmup; i < rounds; i++)
        {
            if (i == 0)
                measuredSince = DateTime.UtcNow;
            foreach (var v in variants)
            {
                var r = Exec.Run(v.Argv(i), captureStdout: true, v.Env).Check();
                if (i >= 0)
                    v.Samples.Add(r.Elapsed);
            }
        }
        All.AddRange(variants.Select(v => v.Samples));
        if (Crun is not null && nsenter is not null)
            CrunNet = Samples.Minus("crun run, minus nsenter's median", Crun, nsenter.Median);

        var ratios = new List<Samples>();
        if (Baseline is not null)
            ratios.Add(Samples.Ratio("berth / baseline build (above 1: this build is slower)", Berth, Baseline));
        if (CrunNet is not null)
            ratios.Add(Samples.Ratio("berth / crun (minus nsenter's median)", Berth, CrunNet));
        if (Crun is not null)
            ratios.Add(Samples.Ratio("berth / crun (as measured, nsenter included)", Berth, Crun));
        if (Runc is not null)
            ratios.Add(Samples.Ratio("berth / runc", Berth, Runc));
        ratios.Add(Samples.Ratio("berth / floor", Berth, Floor));
        if (DockerToDockerd is not null)
        {
            ratios.Add(Samples.Ratio("docker → dockerd / docker → berthd (speed-up of berthd under the docker CLI)", DockerToDockerd, DockerToBerthd));
            ratios.Add(Samples.Ratio("docker → dockerd / berth → berthd", DockerToDockerd, Berth));
        }
        if (Podman is not null)
            ratios.Add(Samples.Ratio("podman / berth → berthd", Podman, Berth));

        var body = new StringBuilder();
        body.AppendLine($"{rounds} rounds after {warmup} warm-up rounds; in each round every row runs once, in the order shown. Times in ms, from spawn to exit as seen by the harness.");
        body.AppendLine();
        var rows = variants.Select(v => Report.Row(v.Samples)).ToList();
        if (CrunNet is not null)
            rows.Insert(variants.FindIndex(v => v.Samples == nsenter) + 1, Report.Row(CrunNet));
        body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], rows));
        body.AppendLine("Per-pair ratios (pair = the two rows measured in the same round):");
        body.AppendLine();
        body.AppendLine(Report.Table(["ratio", "min", "median", "max"], ratios.Select(Report.RatioRow)));
        if (Baseline is not null)
            body.AppendLine(BaselineStages(peers, measuredSince));
        report.Section("1. `run --rm busybox true`", body.ToString());
    }

    /// <summary>
    /// Where a difference from the baseline build comes from: berthd's own start stages (its StartTimings debug line)
    /// in this benchmark's measured rounds, medians of each daemon side by side. A stage one build does not time is "-".
    /// </summary>
    private static string BaselineStages(Peers peers, DateTime since)
    {
        var current = peers.Berthd.StartTimingsSince(since);
        var baseline = peers.BaselineBerthd!.StartTimingsSince(since);
        var rows = new List<string[]>();
        foreach (string stage in current.Concat(baseline).SelectMany(t => t.Keys).Distinct())
        {
            double? Median(List<Dictionary<string, double>> timings)
            {
                var s = new Samples(stage);
                foreach (var t in timings)
                    if (t.TryGetValue(stage, out double ms))
                        s.AddValue(ms);
                return s.Count > 0 ? s.Median : null;
            }
            double? a = Median(current), b = Median(baseline);
            rows.Add([stage, a is { } x ? Report.F(x) : "-", b is { } y ? Report.F(y) : "-", a is { } p && b is { } q ? Report.F(p - q) : "-"]);
        }
        return $"berthd's own start stages during these rounds (POST /start, medians in ms; {current.Count} starts of this build's berthd, from the berth and docker CLI rows, and {baseline.Count} of the baseline's):\n\n"
            + Report.Table(["stage", "this build", "baseline", "difference"], rows);
    }
}
