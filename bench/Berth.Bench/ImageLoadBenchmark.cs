using System.Text;

namespace Berth.Bench;

/// <summary>
/// Benchmark 4: loading the Debian minbase image archive (one uncompressed layer), interleaved: `berth load` (berth
/// CLI → berthd), `docker load` (→ dockerd), `podman load`, and the floor: the layer streamed out of the same archive
/// by `tar -xO` into `tar -x` in a temp directory (reading the archive and writing the files, nothing else). The image
/// is removed between runs (not timed).
/// </summary>
public sealed class ImageLoadBenchmark(BenchContext context, Peers peers)
{
    private sealed record Variant(Samples Samples, Func<string[]> Argv, Action Cleanup, IReadOnlyDictionary<string, string>? Env);

    public Samples? Berth { get; private set; }
    public Samples? Floor { get; private set; }
    public List<Samples> All { get; } = [];
    public string StraceTop { get; private set; } = "";
    public double LayerMiB { get; private set; }
    public string PerfTop { get; private set; } = "";

    public void Run(Report report)
    {
        var image = DebianImageArchive.Ensure(context);
        LayerMiB = image.LayerSize / 1048576.0;
        int rounds = context.Count(6, 2);
        context.Log($"4. image load of {image.ArchiveSize / 1048576.0:F0} MiB: {rounds} rounds after 1 warm-up round");
        string dest = Path.Combine(context.WorkDirectory, "floor-extract");
        var variants = new List<Variant>();
        void Add(string name, CliEngine? engine, Func<string[]> argv, Action cleanup)
        {
            var v = new Variant(new Samples(name), argv, cleanup, engine?.Env);
            variants.Add(v);
        }
        foreach (var engine in new[] { peers.BerthCli, peers.DockerToDockerd, peers.PodmanCli })
        {
            if (engine is null)
                continue;
            string verb = engine == peers.BerthCli ? "berth load" : engine == peers.PodmanCli ? "podman load" : "docker load";
            Add($"{verb} ({engine.Name})", engine, () => [.. engine.Prefix, "load", "-i", image.Path],
                () => engine.Cli("rmi", DebianImageArchive.Reference).Check());
        }
        Add("floor: tar -xO (layer) | tar -x", null,
            () => ["sh", "-c", "mkdir -p \"$3\" && tar -xOf \"$1\" \"$2\" | tar -x -C \"$3\"", "sh", image.Path, image.LayerEntry, dest],
            () => Exec.Checked("rm", "-rf", dest));

        for (int i = -1; i < rounds; i++)
        {
            foreach (var v in variants)
            {
                var r = Exec.Run(v.Argv(), captureStdout: true, v.Env).Check();
                v.Cleanup();
                if (i >= 0)
                    v.Samples.Add(r.Elapsed);
            }
        }
        All.AddRange(variants.Select(v => v.Samples));
        Berth = variants[0].Samples;
        Floor = variants[^1].Samples;

        context.Log("   profiling one berth load (strace -c, then perf)");
        StraceTop = Strace.During(peers.Berthd.Pid, () => peers.BerthCli.Cli("load", "-i", image.Path).Check());
        peers.BerthCli.Cli("rmi", DebianImageArchive.Reference).Check();
        PerfTop = Perf.During(peers.Berthd.Pid, () => peers.BerthCli.Cli("load", "-i", image.Path).Check(), ["dso", "dso,sym"], 12);
        peers.BerthCli.Cli("rmi", DebianImageArchive.Reference).Check();

        var ratios = variants.Take(variants.Count - 1).Select(v => Samples.Ratio($"{v.Samples.Name.Split(" (")[0]} / floor", v.Samples, Floor!)).ToList();
        var body = new StringBuilder();
        body.AppendLine($"Archive: {image.ArchiveSize / 1048576.0:F1} MiB, one uncompressed layer of {image.LayerSize / 1048576.0:F1} MiB (Debian bookworm, `debootstrap --variant=minbase`), `docker save` layout of Docker 25+. {rounds} rounds after 1 warm-up round; the image (or the floor's directory) is removed after each run, untimed. The archive is in the page cache after the warm-up. Seconds.");
        body.AppendLine();
        body.AppendLine(Report.Table(["what", "min s", "median s", "max s"],
            variants.Select(v => new[] { v.Samples.Name, Report.F(v.Samples.Min / 1000), Report.F(v.Samples.Median / 1000), Report.F(v.Samples.Max / 1000) })));
        body.AppendLine("Per-pair ratios:");
        body.AppendLine();
        body.AppendLine(Report.Table(["ratio", "min", "median", "max"], ratios.Select(Report.RatioRow)));
        body.AppendLine("Every row creates the image's ~5,200 files on ext4 seconds after the previous run deleted as many; ext4 skips recently freed inodes, which shows in the profile below (`recently_deleted`, `find_get_block_common`) and costs every engine and the floor alike. berth keeps the layer blob as well as the unpacked files (one more write of the layer) and hashes the layer twice (blob digest and DiffID); docker keeps only the unpacked files.");
        body.AppendLine();
        body.AppendLine("Profile of one more `berth load` — `strace -c -f` of berthd (syscall time):");
        body.AppendLine();
        body.AppendLine("```");
        body.AppendLine(StraceTop.TrimEnd());
        body.AppendLine("```");
        body.AppendLine("`perf record` of berthd during another load, CPU samples by shared object, then by symbol (berthd is stripped: its own code shows as addresses):");
        body.AppendLine();
        body.AppendLine("```");
        body.AppendLine(PerfTop.TrimEnd());
        body.AppendLine("```");
        report.Section("4. Image load", body.ToString());
    }
}
