using System.Text;

namespace Berth.Bench;

/// <summary>
/// Issue 13: `commit` of a stopped container whose layer holds 100 MB of changes (ten 10 MB files of random bytes, so
/// nothing is cheaper for being compressible), interleaved: docker CLI → berthd, docker CLI → dockerd, podman. The
/// docker CLI drives berthd because `berth` has no `commit` verb yet; the client is the same for both daemons. The
/// container is made before and the image and container removed after each timed commit (untimed).
/// </summary>
public sealed class CommitBenchmark(BenchContext context, Peers peers)
{
    private const string Writer = "for i in 0 1 2 3 4 5 6 7 8 9; do head -c 10485760 /dev/urandom > /change$i; done";

    public Samples? Berth { get; private set; }
    public Samples? Docker { get; private set; }
    public List<Samples> All { get; } = [];

    public void Run(Report report)
    {
        int rounds = context.Count(5, 2);
        context.Log($"7. commit of 100 MB of changes: {rounds} rounds after 1 warm-up round");
        var engines = new[] { peers.DockerToBerthd, peers.DockerToDockerd, peers.PodmanCli }.OfType<CliEngine>().ToList();
        var samples = engines.Select(e => new Samples($"{(e == peers.PodmanCli ? "podman" : "docker")} commit ({e.Name})")).ToList();
        for (int round = -1; round < rounds; round++)
        {
            for (int i = 0; i < engines.Count; i++)
            {
                var engine = engines[i];
                string name = $"{context.Prefix}-commit-{i}";
                engine.Cli(["run", "--name", name, .. engine.RunExtra, CliEngine.Image, "sh", "-c", Writer]).Check();
                var commit = engine.Cli("commit", name, $"bench-commit:{i}").Check();
                engine.Cli("rm", name).Check();
                engine.Cli("rmi", $"bench-commit:{i}").Check();
                if (round >= 0)
                    samples[i].Add(commit.Elapsed);
            }
        }
        All.AddRange(samples);
        Berth = samples[0];
        Docker = engines.Contains(peers.DockerToDockerd!) ? samples[1] : null;

        var body = new StringBuilder();
        body.AppendLine($"`commit` of a stopped busybox container that wrote ten 10 MB files of random bytes (100 MiB in its layer). {rounds} rounds after 1 warm-up round, interleaved; the container is made before and removed with its image after each commit, untimed. berthd is driven by the docker CLI (no `berth commit` yet). Milliseconds.");
        body.AppendLine();
        body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], samples.Select(s => Report.Row(s))));
        if (Docker is not null)
        {
            body.AppendLine(Report.Table(["ratio", "min", "median", "max"], [Report.RatioRow(Samples.Ratio("berthd / dockerd", Berth, Docker))]));
        }
        report.Section("7. Commit", body.ToString());
    }
}
