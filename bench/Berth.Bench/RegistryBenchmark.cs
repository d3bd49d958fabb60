using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Berth.Bench;

/// <summary>
/// Issue 14: pulling from and pushing to a local docker-registry (plain HTTP on loopback), interleaved: berth
/// (berth CLI → berthd), docker (docker CLI → dockerd), podman, and for pulls the floor: `skopeo copy` to a `dir:`
/// plus `tar -x` of every layer. Images: the Debian minbase image (one layer) and a 5-layer image (Debian plus four
/// 8 MiB layers made with `commit` in berthd, untimed). Cold pull: the image and its layers removed before (untimed);
/// warm pull: the image present; push: to a registry started empty for that run (untimed).
/// </summary>
public sealed class RegistryBenchmark(BenchContext context, Peers peers)
{
    private const string FiveLayers = "bench-five-layers:bench";

    public Dictionary<string, Samples> Cold { get; } = [];
    public Samples? BerthWarm { get; private set; }
    public List<Samples> All { get; } = [];

    public void Run(Report report)
    {
        var debian = DebianImageArchive.Ensure(context);
        int rounds = context.Count(4, 2);
        context.Log($"10. registry pull and push: {rounds} rounds after 1 warm-up round");
        using var registry = BenchRegistry.Start(context, "registry");
        registry.Seed("docker-archive:" + debian.Path, "bench/debian:minbase");
        string fiveArchive = MakeFiveLayerArchive(debian);
        registry.Seed("docker-archive:" + fiveArchive, "bench/five:layers");
        File.Delete(fiveArchive);

        var engines = new[] { peers.BerthCli, peers.DockerToDockerd, peers.PodmanCli }.OfType<CliEngine>().ToList();
        string Who(CliEngine e) => e == peers.BerthCli ? "berth" : e == peers.PodmanCli ? "podman" : "docker";
        string[] PullArgs(CliEngine e, string reference) => e == peers.PodmanCli ? ["pull", "-q", "--tls-verify=false", reference] : ["pull", "-q", reference];
        var body = new StringBuilder();
        body.AppendLine($"A docker-registry 2.8 on loopback (plain HTTP), layers gzipped by `skopeo copy` when seeded. {rounds} rounds after 1 warm-up round, interleaved. Cold: the image removed (with its layers) before each pull, untimed; warm: pulled again with everything present; push: into a registry started empty for that run. Milliseconds.");
        body.AppendLine();
        foreach (var (label, repo) in new[] { ("Debian minbase", "bench/debian:minbase"), ("5 layers", "bench/five:layers") })
        {
            string reference = $"{registry.Host}/{repo}";
            var cold = engines.Select(e => new Samples($"{label}: {Who(e)} cold pull")).ToList();
            var warm = engines.Select(e => new Samples($"{label}: {Who(e)} warm pull")).ToList();
            var floor = new Samples($"{label}: floor (skopeo copy dir: + tar -x)");
            for (int round = -1; round < rounds; round++)
            {
                for (int i = 0; i < engines.Count; i++)
                {
                    var e = engines[i];
                    var coldRun = e.Cli(PullArgs(e, reference)).Check();
                    var warmRun = e.Cli(PullArgs(e, reference)).Check();
                    e.Cli("rmi", reference).Check();
                    if (round >= 0)
                    {
                        cold[i].Add(coldRun.Elapsed);
                        warm[i].Add(warmRun.Elapsed);
                    }
                }
                var f = Floor(registry.Host, repo);
                if (round >= 0)
                    floor.Add(f);
            }
            foreach (var (e, s) in engines.Zip(cold))
                Cold[$"{label}/{Who(e)}"] = s;
            Cold[$"{label}/floor"] = floor;
            if (label == "Debian minbase")
                BerthWarm = warm[0];
            All.AddRange([.. cold, floor, .. warm]);
            body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], cold.Append(floor).Concat(warm).Select(s => Report.Row(s))));
            var ratios = new List<string[]> { Report.RatioRow(Samples.Ratio("berth cold / floor", cold[0], floor)) };
            if (engines.Contains(peers.DockerToDockerd!))
                ratios.Add(Report.RatioRow(Samples.Ratio("berth cold / docker cold", cold[0], cold[1])));
            body.AppendLine(Report.Table(["ratio", "min", "median", "max"], ratios));
        }

        // Push: the Debian image from each engine into an empty registry, a new one per run.
        var pushes = engines.Select(e => new Samples($"Debian minbase: {Who(e)} push")).ToList();
        foreach (var e in engines)
            e.Cli("load", "-i", debian.Path).Check();
        try
        {
            for (int round = -1; round < rounds; round++)
                for (int i = 0; i < engines.Count; i++)
                {
                    using var empty = BenchRegistry.Start(context, "push-registry");
                    var e = engines[i];
                    string target = $"{empty.Host}/bench/debian:push";
                    e.Cli("tag", DebianImageArchive.Reference, target).Check();
                    var push = e.Cli(e == peers.PodmanCli ? ["push", "-q", "--tls-verify=false", target] : ["push", "-q", target]).Check();
                    e.Cli("rmi", target).Check();
                    if (round >= 0)
                        pushes[i].Add(push.Elapsed);
                }
        }
        finally
        {
            foreach (var e in engines)
                e.Cli("rmi", DebianImageArchive.Reference);
        }
        All.AddRange(pushes);
        body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], pushes.Select(s => Report.Row(s))));
        report.Section("10. Registry pull and push", body.ToString());
    }

    /// <summary>skopeo copy to a dir: plus tar -x of each layer (gzip detected by tar), timed together; both deleted after.</summary>
    private TimeSpan Floor(string host, string repo)
    {
        string dir = Path.Combine(context.WorkDirectory, "floor-dir"), root = Path.Combine(context.WorkDirectory, "floor-root");
        var clock = Stopwatch.StartNew();
        Exec.Checked("skopeo", "copy", "--quiet", "--src-tls-verify=false", $"docker://{host}/{repo}", "dir:" + dir);
        Directory.CreateDirectory(root);
        using (var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "manifest.json"))))
            foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
                Exec.Checked("tar", "-xf", Path.Combine(dir, layer.GetProperty("digest").GetString()!["sha256:".Length..]), "-C", root);
        var elapsed = clock.Elapsed;
        Exec.Checked("rm", "-rf", dir, root);
        return elapsed;
    }

    /// <summary>Debian plus four committed 8 MiB layers, saved from berthd (docker CLI → berthd) as a docker-archive.</summary>
    private string MakeFiveLayerArchive(DebianImageArchive debian)
    {
        var cli = peers.DockerToBerthd;
        cli.Cli("load", "-i", debian.Path).Check();
        string from = DebianImageArchive.Reference;
        for (int i = 1; i <= 4; i++)
        {
            string name = $"{context.Prefix}-layer{i}";
            cli.Cli(["run", "--name", name, .. cli.RunExtra, from, "sh", "-c", $"head -c 8388608 /dev/urandom > /layer{i}"]).Check();
            cli.Cli("commit", name, $"{FiveLayers}{i}").Check();
            cli.Cli("rm", name).Check();
            from = $"{FiveLayers}{i}";
        }
        cli.Cli("tag", from, FiveLayers).Check();
        string archive = Path.Combine(context.WorkDirectory, "five-layers.tar");
        cli.Cli("save", "-o", archive, FiveLayers).Check();
        cli.Cli(["rmi", FiveLayers, .. Enumerable.Range(1, 4).Reverse().Select(i => $"{FiveLayers}{i}"), DebianImageArchive.Reference]).Check();
        return archive;
    }
}
