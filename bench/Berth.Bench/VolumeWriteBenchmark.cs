using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Bench;

/// <summary>
/// Issue 13: writing 1 GiB (`dd bs=1M count=1024 conv=fsync` from /dev/zero) into a named volume, into the container's
/// own layer (overlayfs upper dir), and into a directory of the host filesystem that holds the data roots (the floor),
/// interleaved, for berth (berth CLI → berthd) and, for reference, dockerd. The time is dd's alone (/proc/uptime before and after it),
/// so a container's start does not count against the volume; throughput is MiB/s. Files are removed after each run.
/// </summary>
public sealed partial class VolumeWriteBenchmark(BenchContext context, Peers peers)
{
    // busybox's dd (as the test images build it) prints no "copied, N s" line: the time is taken from /proc/uptime
    // (10 ms ticks, under 1% of a write of a second or more) around dd, inside the container and on the host alike.
    private const string Dd = "a=$(cut -d' ' -f1 /proc/uptime); dd if=/dev/zero of={0} bs=1M count=1024 conv=fsync 2>/dev/null; b=$(cut -d' ' -f1 /proc/uptime); echo \"elapsed $a $b\"";

    public Samples? BerthVolume { get; private set; }
    public Samples? Host { get; private set; }
    public List<Samples> All { get; } = [];

    public void Run(Report report)
    {
        int rounds = context.Count(4, 2);
        context.Log($"9. 1 GiB writes into a volume, a container layer and the host filesystem: {rounds} rounds after 1 warm-up round");
        string hostDir = context.Dir("host-write");
        var variants = new List<(Samples Samples, Func<string> Run)>();
        foreach (var engine in new[] { peers.BerthCli, peers.DockerToDockerd }.OfType<CliEngine>())
        {
            string volume = $"{context.Prefix}-vol";
            engine.Cli("volume", "create", volume).Check();
            string who = engine == peers.BerthCli ? "berth" : "docker";
            variants.Add((new Samples($"{who}: volume"), () => engine.Cli(["run", "--rm", .. engine.RunExtra, "-v", volume + ":/v", CliEngine.Image,
                "sh", "-c", string.Format(CultureInfo.InvariantCulture, Dd, "/v/f") + "; rm /v/f"]).Check().Stdout));
            variants.Add((new Samples($"{who}: container layer"), () => engine.Cli(["run", "--rm", .. engine.RunExtra, CliEngine.Image,
                "sh", "-c", string.Format(CultureInfo.InvariantCulture, Dd, "/f")]).Check().Stdout));
        }
        string hostFile = Path.Combine(hostDir, "f");
        variants.Add((new Samples("floor: host filesystem"), () => Exec.Checked("sh", "-c", string.Format(CultureInfo.InvariantCulture, Dd, hostFile) + "; rm -f " + hostFile).Stdout));
        try
        {
            for (int round = -1; round < rounds; round++)
                foreach (var (samples, run) in variants)
                {
                    double seconds = DdSeconds(run());
                    if (round >= 0)
                        samples.AddValue(1024 / seconds);
                }
        }
        finally
        {
            foreach (var engine in new[] { peers.BerthCli, peers.DockerToDockerd }.OfType<CliEngine>())
                engine.Cli("volume", "rm", $"{context.Prefix}-vol");
        }
        All.AddRange(variants.Select(v => v.Samples));
        BerthVolume = variants[0].Samples;
        Host = variants[^1].Samples;

        var body = new StringBuilder();
        body.AppendLine($"1 GiB written by `dd if=/dev/zero bs=1M count=1024 conv=fsync` (busybox's in the containers, GNU's on the host), timed by /proc/uptime around dd (10 ms ticks); {rounds} rounds after 1 warm-up round, interleaved; the file is removed after each run. The host directory is on the filesystem that holds the data roots (`/var/tmp`). MiB/s, higher is better.");
        body.AppendLine();
        body.AppendLine(Report.Table(["what", "min MiB/s", "median MiB/s", "max MiB/s"], variants.Select(v => Report.Row(v.Samples, 0))));
        body.AppendLine(Report.Table(["ratio", "min", "median", "max"], [Report.RatioRow(Samples.Ratio("berth volume / host", BerthVolume, Host)),
            Report.RatioRow(Samples.Ratio("berth layer / host", variants[1].Samples, Host))]));
        report.Section("9. Volume write", body.ToString());
    }

    /// <summary>Seconds between the two /proc/uptime readings of "elapsed A B".</summary>
    private static double DdSeconds(string output)
    {
        var match = Elapsed().Match(output);
        if (!match.Success)
            throw new InvalidOperationException("the write said: " + output);
        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) - double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"elapsed ([0-9.]+) ([0-9.]+)")]
    private static partial Regex Elapsed();
}
