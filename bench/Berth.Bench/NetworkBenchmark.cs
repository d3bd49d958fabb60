using System.Diagnostics;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// Issue 12's networking costs: `berth run --rm busybox true` with --network none, on the default bridge and with
/// `-p 127.0.0.1::80`, rounds interleaved, against a berthd whose bridges and nft table live in a network namespace
/// this benchmark makes (so the machine's own networking is never touched); then `run -d -p` of 50 containers.
/// The targets are judged on berthd's own Network start timing (debug log), which is what networking adds to a
/// start: at most 1.5 ms on a bridge, and -p at most 0.5 ms more. Not yet side by side with docker (dockerd's bridge)
/// and podman (netavark): their daemons would need the same private namespace.
/// </summary>
public sealed class NetworkBenchmark(BenchContext context)
{
    public async Task<string> RunAsync()
    {
        string netns = context.Prefix + "-net";
        Exec.Run(["ip", "netns", "add", netns]).Check();
        BerthDaemon? daemon = null;
        var body = new StringBuilder();
        try
        {
            Exec.Run(["ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"]).Check();
            daemon = BerthDaemon.Start(context, "berthd-net", networkNamespace: "/run/netns/" + netns);
            var berth = new CliEngine("berth → berthd (bridge)", [Path.Combine(BenchPaths.HelperDirectory, "berth"), "-H", daemon.Host], []);
            berth.Cli("load", "-i", Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive).Check();

            int rounds = context.Count(40, 10), warmup = 3;
            var variants = new (string Name, string[] Extra)[]
            {
                ("run --rm --network none", ["--network", "none"]),
                ("run --rm (default bridge)", []),
                ("run --rm -p 127.0.0.1::80 (bridge)", ["-p", "127.0.0.1::80"]),
            };
            var wall = variants.Select(v => new Samples(v.Name)).ToArray();
            var network = variants.Select(v => new Samples(v.Name + ": berthd's Network stage")).ToArray();
            for (int i = -warmup; i < rounds; i++)
            {
                for (int v = 0; v < variants.Length; v++)
                {
                    var since = DateTime.UtcNow;
                    var r = Exec.Run([.. berth.Prefix, "run", "--rm", .. variants[v].Extra, CliEngine.Image, "true"], captureStdout: true).Check();
                    if (i < 0)
                        continue;
                    wall[v].Add(r.Elapsed);
                    if (daemon.StartTimingsSince(since).LastOrDefault() is { } timings && timings.TryGetValue("Network", out double ms))
                        network[v].AddValue(ms);
                }
            }

            int count = context.Count(50, 10);
            var detached = new Samples($"run -d -p 127.0.0.1::80, {count} containers (each)");
            var ids = new List<string>();
            var all = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                var r = Exec.Run([.. berth.Prefix, "run", "-d", "-p", "127.0.0.1::80", CliEngine.Image, "sleep", "600"], captureStdout: true).Check();
                detached.Add(r.Elapsed);
                ids.Add(r.Stdout.Trim());
            }
            all.Stop();
            Exec.Run([.. berth.Prefix, "rm", "-f", .. ids], captureStdout: true).Check();

            body.AppendLine($"{rounds} rounds after {warmup} warm-up rounds, rows interleaved; berthd in a private network namespace. Times in ms.");
            body.AppendLine();
            body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"],
                [.. wall.Select(s => Report.Row(s, 2)), .. network.Where(s => s.Count > 0).Select(s => Report.Row(s, 2)), Report.Row(detached, 2)]));
            body.AppendLine($"{count} × `run -d -p` in {Report.F(all.Elapsed.TotalMilliseconds, 0)} ms in all.");
            body.AppendLine();
            if (network[1].Count > 0 && network[2].Count > 0)
            {
                double bridge = network[1].Median, published = network[2].Median - network[1].Median;
                body.AppendLine($"- network setup on the bridge (median Network stage): {Report.F(bridge)} ms, target ≤ 1.5 ms: **{(bridge <= 1.5 ? "PASS" : "MISS")}**");
                body.AppendLine($"- -p on top (median difference): {Report.F(published)} ms, target ≤ 0.5 ms: **{(published <= 0.5 ? "PASS" : "MISS")}**");
            }
            body.AppendLine("- docker (dockerd with its bridge) and podman (netavark): not measured yet (they need the private namespace too).");
        }
        finally
        {
            daemon?.Dispose();
            Exec.Run(["ip", "netns", "del", netns]);
            Exec.Cleanup();
            Directory.Delete(context.WorkDirectory, recursive: true);
        }
        await Task.CompletedTask;
        return body.ToString();
    }
}
