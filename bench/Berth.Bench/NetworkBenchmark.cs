using System.Diagnostics;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// Issue 12's networking costs, side by side: `run --rm busybox true` with --network none, on the default bridge and
/// with `-p 127.0.0.1::80`, through berth → berthd, docker → dockerd (docker0 and its iptables rules) and podman
/// (netavark), rounds interleaved; then `run -d -p` of 50 containers. Each engine lives in a network namespace this
/// benchmark makes (joined with nsenter --net), so the machine's own networking is never touched. What networking
/// adds to a start is judged on berthd's own Network start stage (debug log): at most 1.5 ms on a bridge, and -p at
/// most 0.5 ms more; the wall-time differences bridge − none show the same for every engine.
/// </summary>
public sealed class NetworkBenchmark(BenchContext context)
{
    private static readonly (string Name, string[] Extra)[] Variants =
    [
        ("--network none", ["--network", "none"]),
        ("default bridge", []),
        ("-p 127.0.0.1::80", ["-p", "127.0.0.1::80"]),
    ];

    /// <summary>berthd's Network start stage on the bridge, and with -p (ms).</summary>
    public Samples? BridgeStage { get; private set; }

    public Samples? PublishStage { get; private set; }

    /// <summary>Per engine, the per-round differences bridge − none of the wall time (ms).</summary>
    public Dictionary<string, Samples> BridgeCost { get; } = [];

    public void Run(Report report) => report.Section("13. Networking (issue 12)", RunAsync().GetAwaiter().GetResult());

    public async Task<string> RunAsync()
    {
        var namespaces = new List<string>();
        BerthDaemon? daemon = null;
        DockerDaemon? dockerd = null;
        Podman? podman = null;
        var body = new StringBuilder();
        var notes = new List<string>();
        try
        {
            string berthNetns = Namespace(namespaces, "-net");
            daemon = BerthDaemon.Start(context, "berthd-net", networkNamespace: berthNetns);
            var engines = new List<(CliEngine Cli, string[] RunExtra)>
            {
                (new CliEngine("berth → berthd", [Path.Combine(BenchPaths.HelperDirectory, "berth"), "-H", daemon.Host], []), []),
            };
            var images = Berth.TestImages.TestImages.Ensure();
            if (!context.SlowPeers)
                notes.Add("docker and podman: not measured in a quick run");
            else
            {
                if (DockerDaemon.IsInstalled)
                {
                    dockerd = DockerDaemon.Start(context, Namespace(namespaces, "-net-docker"));
                    var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = context.Dir("docker-cli-config-net") };
                    engines.Add((new CliEngine("docker → dockerd", [Exec.Output("sh", "-c", "command -v docker"), "-H", dockerd.Host], [], env), []));
                }
                else
                    notes.Add("dockerd: not installed (bench/setup.sh installs docker.io)");
                if (Podman.IsInstalled)
                {
                    podman = Podman.Create(context, "podman-net");
                    string podmanNetns = Namespace(namespaces, "-net-podman");
                    // netavark makes podman0 and its rules in the namespace podman runs in.
                    engines.Add((new CliEngine("podman (netavark)", ["nsenter", "--net=" + podmanNetns, .. podman.GlobalArgs], []), podman.LimitArgs));
                }
                else
                    notes.Add("podman: not installed (bench/setup.sh installs it)");
            }
            foreach (var (cli, _) in engines)
                cli.Cli("load", "-i", images.BusyboxDockerArchive).Check();

            int rounds = context.Count(40, 10), warmup = 3;
            var wall = engines.Select(e => Variants.Select(v => new Samples($"{e.Cli.Name}: run --rm {v.Name}")).ToArray()).ToArray();
            var stage = Variants.Select(v => new Samples($"berthd's Network stage, {v.Name}")).ToArray();
            for (int i = -warmup; i < rounds; i++)
            {
                for (int e = 0; e < engines.Count; e++)
                {
                    for (int v = 0; v < Variants.Length; v++)
                    {
                        var since = DateTime.UtcNow;
                        var r = engines[e].Cli.Time([.. engines[e].Cli.Prefix, "run", "--rm", .. engines[e].RunExtra, .. Variants[v].Extra, CliEngine.Image, "true"]);
                        if (i < 0)
                            continue;
                        wall[e][v].Add(r.Elapsed);
                        if (e == 0 && daemon.StartTimingsSince(since).LastOrDefault() is { } timings && timings.TryGetValue("Network", out double ms))
                            stage[v].AddValue(ms);
                    }
                }
            }

            int count = context.Count(50, 10);
            var detached = engines.Select(e => new Samples($"{e.Cli.Name}: run -d -p 127.0.0.1::80, {count} containers (each)")).ToArray();
            var totals = new double[engines.Count];
            for (int e = 0; e < engines.Count; e++)
            {
                var ids = new List<string>();
                var all = Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                {
                    var r = engines[e].Cli.Time([.. engines[e].Cli.Prefix, "run", "-d", .. engines[e].RunExtra, "-p", "127.0.0.1::80", CliEngine.Image, "sleep", "600"]);
                    detached[e].Add(r.Elapsed);
                    ids.Add(r.Stdout.Trim());
                }
                totals[e] = all.Elapsed.TotalMilliseconds;
                engines[e].Cli.Time([.. engines[e].Cli.Prefix, "rm", "-f", .. ids]);
            }

            var (bulkDirect, bulkPublished) = BulkTcp(engines[0].Cli, berthNetns, images.RootfsDirectory);

            body.AppendLine($"{rounds} rounds after {warmup} warm-up rounds, every engine and variant interleaved; each engine in a private network namespace. Times in ms.");
            body.AppendLine();
            body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"],
                [.. wall.SelectMany(w => w).Select(s => Report.Row(s, 2)), .. stage.Where(s => s.Count > 0).Select(s => Report.Row(s, 2)), .. detached.Select(s => Report.Row(s, 2))]));
            for (int e = 0; e < engines.Count; e++)
                body.AppendLine($"- {engines[e].Cli.Name}: {count} × `run -d -p` in {Report.F(totals[e], 0)} ms in all.");
            body.AppendLine();
            body.AppendLine("What the network adds to `run --rm` (median of the per-round differences of wall times, same engine, back to back):");
            body.AppendLine();
            var costRows = new List<string[]>();
            for (int e = 0; e < engines.Count; e++)
            {
                var bridge = Samples.Difference($"{engines[e].Cli.Name}: bridge − none", wall[e][1], wall[e][0]);
                var publish = Samples.Difference($"{engines[e].Cli.Name}: -p − bridge", wall[e][2], wall[e][1]);
                BridgeCost[engines[e].Cli.Name] = bridge;
                costRows.Add(Report.Row(bridge, 2));
                costRows.Add(Report.Row(publish, 2));
            }
            body.AppendLine(Report.Table(["difference", "min ms", "median ms", "max ms"], costRows));
            if (stage[1].Count > 0 && stage[2].Count > 0)
            {
                BridgeStage = stage[1];
                PublishStage = stage[2];
                double bridge = stage[1].Median, published = stage[2].Median - stage[1].Median;
                body.AppendLine($"- berthd's network setup on the bridge (median Network stage): {Report.F(bridge)} ms, target ≤ 1.5 ms: **{(bridge <= 1.5 ? "PASS" : "MISS")}**");
                body.AppendLine($"- -p on top (median difference of the stage): {Report.F(published)} ms, target ≤ 0.5 ms: **{(published <= 0.5 ? "PASS" : "MISS")}**");
            }
            Bulk = Samples.Ratio("", bulkPublished, bulkDirect);
            body.AppendLine($"- bulk TCP ({BulkBytes >> 20} MiB from berthd's namespace into a container, {bulkPublished.Count} rounds): to the container's IP {Report.F(BulkBytes / 1048576.0 / (bulkDirect.Median / 1000), 0)} MiB/s, "
                + $"to its published port on 127.0.0.1 {Report.F(BulkBytes / 1048576.0 / (bulkPublished.Median / 1000), 0)} MiB/s; time ratio published/direct {Report.F(Bulk.Median)}x, target within 10%: **{(Bulk.Median <= 1.1 ? "PASS" : "MISS")}**");
            foreach (string note in notes)
                body.AppendLine("- " + note);
        }
        finally
        {
            daemon?.Dispose();
            if (dockerd?.Stop() is { Length: > 0 } stopped)
                body.AppendLine("- cleanup: " + stopped);
            if (podman is not null)
                foreach (string note in podman.Clean())
                    body.AppendLine("- cleanup: " + note);
            foreach (string netns in namespaces)
                Exec.Run(["ip", "netns", "del", Path.GetFileName(netns)]);
            Exec.Cleanup();
        }
        await Task.CompletedTask;
        return body.ToString();
    }

    private const long BulkBytes = 1L << 30;

    /// <summary>Per-round time ratios of a bulk transfer through the published port over one to the container's IP.</summary>
    public Samples? Bulk { get; private set; }

    /// <summary>
    /// Issue 12's "a published port carries bulk TCP within 10% of the container's own IP": a container swallows
    /// <see cref="BulkBytes"/> per connection; the host's side (berthd's namespace, the busybox of the test rootfs
    /// run from the host) sends them to the container's IP and to its published port on 127.0.0.1, interleaved.
    /// </summary>
    private (Samples Direct, Samples Published) BulkTcp(CliEngine berth, string netns, string rootfs)
    {
        string id = berth.Time([.. berth.Prefix, "run", "-d", "-p", "127.0.0.1::80", CliEngine.Image,
            "nc", "-ll", "-p", "80", "-e", "sh", "-c", $"head -c {BulkBytes} >/dev/null"]).Stdout.Trim();
        try
        {
            string ip = berth.Time([.. berth.Prefix, "inspect", "-f", "{{.NetworkSettings.IPAddress}}", id]).Stdout.Trim();
            string port = berth.Time([.. berth.Prefix, "port", id, "80/tcp"]).Stdout.Trim().Split('\n')[0].Split(':')[^1];
            string busybox = Path.Combine(rootfs, "bin", "busybox");
            var direct = new Samples("bulk TCP to the container's IP");
            var published = new Samples("bulk TCP to the published port");
            for (int i = -1; i < context.Count(5, 2); i++)
            {
                foreach (var (samples, target) in new[] { (direct, $"{ip} 80"), (published, $"127.0.0.1 {port}") })
                {
                    var r = Exec.Run(["nsenter", "--net=" + netns, busybox, "sh", "-c", $"{busybox} head -c {BulkBytes} /dev/zero | {busybox} nc {target}"], captureStdout: true).Check();
                    if (i >= 0)
                        samples.Add(r.Elapsed);
                }
            }
            return (direct, published);
        }
        finally
        {
            berth.Time([.. berth.Prefix, "rm", "-f", id]);
        }
    }

    /// <summary>A new network namespace with lo up; returns its /run/netns path (deleted in the finally above).</summary>
    private string Namespace(List<string> namespaces, string suffix)
    {
        string name = context.Prefix + suffix;
        Exec.Run(["ip", "netns", "add", name]).Check();
        namespaces.Add("/run/netns/" + name);
        Exec.Run(["ip", "-n", name, "link", "set", "lo", "up"]).Check();
        return "/run/netns/" + name;
    }
}
