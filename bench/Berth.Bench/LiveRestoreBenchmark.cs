using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// Live restore (issue 16): 100 containers running under a berthd with live restore, then berthd stopped (SIGTERM) or
/// killed (-9) and started again on the same data root, timed from its spawn until its socket accepts (the API answers:
/// the engine adopts every container before it serves) and until GET /containers/json lists all 100 running; and the
/// engine memory per running container with live restore on: berthd's PSS growth plus berth-keeper's whole PSS, over
/// the count. dockerd's `--live-restore` restart is not run beside it yet.
/// </summary>
public static class LiveRestoreBenchmark
{
    public const int Containers = 100;

    public static async Task<string> RunAsync(BenchContext context, int rounds)
    {
        var report = new StringBuilder();
        var daemon = BerthDaemon.Start(context, "berthd-live", liveRestore: true);
        string keeperSocket = Path.Combine(daemon.Directory, "root", "keeper.sock");
        var berth = new CliEngine("berth", [Path.Combine(BenchPaths.HelperDirectory, "berth"), "-H", daemon.Host], []);
        try
        {
            berth.Cli("load", "-i", Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive).Check();
            Thread.Sleep(MemoryBenchmark.IdleWait);
            long before = ProcessTable.PssKiB(daemon.Pid);
            for (int i = 0; i < Containers; i++)
                berth.Time(berth.RunDetached("sleep", "100000"));
            Thread.Sleep(MemoryBenchmark.IdleWait);
            long with = ProcessTable.PssKiB(daemon.Pid);
            int keeper = KeeperPid(keeperSocket);
            long keeperPss = keeper > 0 ? ProcessTable.PssKiB(keeper) : 0;
            double perContainer = (with - before + keeperPss) / 1024.0 / Containers;
            report.AppendLine(CultureInfo.InvariantCulture, $"## Engine memory per running container, live restore on ({Containers} containers)\n");
            report.AppendLine("| berthd PSS before | with 100 | berth-keeper PSS | per container (growth + keeper) / 100 | target | verdict |");
            report.AppendLine("|---|---|---|---|---|---|");
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {before / 1024.0:0.0} MB | {with / 1024.0:0.0} MB | {keeperPss / 1024.0:0.00} MB | {perContainer:0.000} MB | at most 0.25 MB | {(perContainer <= 0.25 ? "PASS" : "**MISS**")} |\n");

            report.AppendLine(CultureInfo.InvariantCulture, $"## berthd back with {Containers} running containers\n");
            report.AppendLine("From berthd's spawn: API answering (its socket accepts; every container was adopted before it serves), and all");
            report.AppendLine(CultureInfo.InvariantCulture, $"{Containers} listed running by GET /containers/json. Targets: 100 ms and 300 ms.\n");
            report.AppendLine("| how berthd went | round | API answering | all adopted and listed |");
            report.AppendLine("|---|---|---|---|");
            var answering = new List<double>();
            var adopted = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                foreach (string how in new[] { "SIGTERM", "kill -9" })
                {
                    if (how == "SIGTERM")
                        daemon.Stop();
                    else
                        daemon.Kill();
                    daemon.Dispose();
                    var clock = Stopwatch.StartNew();
                    daemon = BerthDaemon.Start(context, "berthd-live", liveRestore: true);
                    double answered = clock.Elapsed.TotalMilliseconds;
                    using var api = new EngineApi(daemon.SocketPath);
                    int running;
                    while ((running = await RunningAsync(api)) < Containers && clock.Elapsed < TimeSpan.FromSeconds(60))
                        await Task.Delay(2);
                    double all = clock.Elapsed.TotalMilliseconds;
                    if (running < Containers)
                        throw new InvalidOperationException($"only {running} of {Containers} containers running after the restart: {daemon.LogTail()}");
                    answering.Add(answered);
                    adopted.Add(all);
                    report.AppendLine(CultureInfo.InvariantCulture, $"| {how} | {round + 1} | {answered:0} ms | {all:0} ms |");
                }
            }
            double medianAnswer = Median(answering), medianAll = Median(adopted);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"\nMedian: API answering {medianAnswer:0} ms (target 100 ms: {(medianAnswer <= 100 ? "PASS" : "**MISS**")}), " +
                $"all adopted {medianAll:0} ms (target 300 ms: {(medianAll <= 300 ? "PASS" : "**MISS**")}).");
        }
        finally
        {
            string[] ids = berth.Cli("ps", "-aq").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0)
                berth.Cli(["rm", "-f", .. ids]);
            daemon.Stop();
            daemon.Dispose();
        }
        return report.ToString();
    }

    private static async Task<int> RunningAsync(EngineApi api)
    {
        using var response = await api.Client.GetAsync("/containers/json");
        await response.EnsureSuccessAsync();
        return System.Text.Json.Nodes.JsonNode.Parse(await response.ReadAsStringAsync())!.AsArray().Count;
    }

    /// <summary>berth-keeper of this data root, by its command line (it was started with the socket's path).</summary>
    private static int KeeperPid(string socket) =>
        ProcessTable.All().FirstOrDefault(p => p.Cmdline.Contains("berth-keeper", StringComparison.Ordinal) && p.Cmdline.Contains(socket, StringComparison.Ordinal)).Pid;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
