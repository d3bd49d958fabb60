using System.Text;

namespace Berth.Bench;

/// <summary>
/// Issue 13: `save -o FILE` of the Debian minbase image (benchmark 4's archive, loaded into every engine once,
/// untimed), interleaved: docker CLI → berthd, docker CLI → dockerd, podman. The archive is deleted after each run.
/// </summary>
public sealed class SaveBenchmark(BenchContext context, Peers peers)
{
    public Samples? Berth { get; private set; }
    public Samples? Docker { get; private set; }
    public List<Samples> All { get; } = [];

    public void Run(Report report)
    {
        var image = DebianImageArchive.Ensure(context);
        int rounds = context.Count(5, 2);
        context.Log($"8. save of the {image.LayerSize / 1048576.0:F0} MiB Debian image: {rounds} rounds after 1 warm-up round");
        var engines = new[] { peers.DockerToBerthd, peers.DockerToDockerd, peers.PodmanCli }.OfType<CliEngine>().ToList();
        foreach (var engine in engines)
            engine.Cli("load", "-i", image.Path).Check();
        var samples = engines.Select(e => new Samples($"{(e == peers.PodmanCli ? "podman" : "docker")} save ({e.Name})")).ToList();
        string output = Path.Combine(context.Dir("save"), "image.tar");
        try
        {
            for (int round = -1; round < rounds; round++)
            {
                for (int i = 0; i < engines.Count; i++)
                {
                    var save = engines[i].Cli("save", "-o", output, DebianImageArchive.Reference).Check();
                    File.Delete(output);
                    if (round >= 0)
                        samples[i].Add(save.Elapsed);
                }
            }
        }
        finally
        {
            foreach (var engine in engines)
                engine.Cli("rmi", DebianImageArchive.Reference);
        }
        All.AddRange(samples);
        Berth = samples[0];
        Docker = engines.Contains(peers.DockerToDockerd!) ? samples[1] : null;

        var body = new StringBuilder();
        body.AppendLine($"`save -o FILE` of the Debian minbase image ({image.LayerSize / 1048576.0:F1} MiB, one layer), written to the same filesystem as the data roots; {rounds} rounds after 1 warm-up round, interleaved; the archive is deleted after each run, untimed. berthd is driven by the docker CLI (no `berth save` yet). Milliseconds.");
        body.AppendLine();
        body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], samples.Select(s => Report.Row(s))));
        if (Docker is not null)
            body.AppendLine(Report.Table(["ratio", "min", "median", "max"], [Report.RatioRow(Samples.Ratio("berthd / dockerd", Berth, Docker))]));
        report.Section("8. Save", body.ToString());
    }
}
