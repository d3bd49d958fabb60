using System.Globalization;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// `make bench`: starts the peers, runs benchmarks 1 to 6, stops everything, checks that nothing was left, judges the
/// targets and writes the results file and the chart.
/// </summary>
public static class Suite
{
    /// <param name="only">"network": benchmark 13 alone; "start": benchmark 1 alone (run --rm, with the baseline build if one is given); "storage":
    /// benchmarks 7-9 alone (commit, save, volume write); "volume", "registry": 9 or 10 alone.</param>
    public static async Task<int> RunAsync(bool quick, bool slowPeers, string output, string? only = null)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Console.Error.WriteLine("the benchmarks run as root: they start daemons and create containers, mounts and cgroups");
            return 2;
        }
        var context = new BenchContext(quick, slowPeers);
        string loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        context.Log($"run {context.Prefix}: {(quick ? "quick" : "full")}, private directory {context.WorkDirectory}");
        var janitor = new Janitor(context);
        var report = new Report();
        Peers? peers = null;
        RunRmBenchmark? runRm = null;
        RunProfile? profile = null;
        DensityBenchmark? density = null;
        MemoryBenchmark? memory = null;
        ImageLoadBenchmark? imageLoad = null;
        ScaleBenchmark? scale = null;
        CommitBenchmark? commit = null;
        SaveBenchmark? save = null;
        VolumeWriteBenchmark? volumeWrite = null;
        RegistryBenchmark? registry = null;
        BuildBenchmark? build = null;
        ComposeBenchmark? compose = null;
        NetworkBenchmark? network = null;
        bool all = only is null;
        var failures = new List<string>();
        var teardown = new List<string>();
        try
        {
            peers = Peers.Start(context);
            if (only == "start")
                await Step(context, failures, "1. run --rm", () => { var b = new RunRmBenchmark(context, peers); b.Run(report); runRm = b; return Task.CompletedTask; }, peers);
            if (all)
            {
                memory = new MemoryBenchmark(context, peers);
                memory.RecordFresh();
                await Step(context, failures, "1. run --rm", () => { var b = new RunRmBenchmark(context, peers); b.Run(report); runRm = b; return Task.CompletedTask; }, peers);
                await Step(context, failures, "1b. profile", async () => { var b = new RunProfile(context, peers); await b.RunAsync(report); profile = b; }, peers);
                await Step(context, failures, "2. density", () => { var b = new DensityBenchmark(context, peers, memory); b.Run(report); density = b; return Task.CompletedTask; }, peers);
                memory.RecordIdleAfterWork();
                await Step(context, failures, "3b. GC experiment", () => { memory.RunGcExperiment(); return Task.CompletedTask; }, peers);
                memory.Write(report);
                await Step(context, failures, "4. image load", () => { var b = new ImageLoadBenchmark(context, peers); b.Run(report); imageLoad = b; return Task.CompletedTask; }, peers);
                await Step(context, failures, "5+6. API and scale", async () => { var b = new ScaleBenchmark(context, peers); await b.RunAsync(report); scale = b; }, peers);
            }
            if (all || only == "storage")
            {
                await Step(context, failures, "7. commit", () => { var b = new CommitBenchmark(context, peers); b.Run(report); commit = b; return Task.CompletedTask; }, peers);
                await Step(context, failures, "8. save", () => { var b = new SaveBenchmark(context, peers); b.Run(report); save = b; return Task.CompletedTask; }, peers);
            }
            if (all || only is "storage" or "volume")
                await Step(context, failures, "9. volume write", () => { var b = new VolumeWriteBenchmark(context, peers); b.Run(report); volumeWrite = b; return Task.CompletedTask; }, peers);
            if ((all || only == "registry") && BenchRegistry.IsInstalled)
                await Step(context, failures, "10. registry", () => { var b = new RegistryBenchmark(context, peers); b.Run(report); registry = b; return Task.CompletedTask; }, peers);
            else if (all || only == "registry")
                failures.Add("10. registry: docker-registry or skopeo not installed (apt-get install docker-registry skopeo)");
            if (all || only == "build")
                await Step(context, failures, "11. build", () => { var b = new BuildBenchmark(context, peers); b.Run(report); build = b; return Task.CompletedTask; }, peers);
            if ((all || only == "compose") && ComposeBenchmark.IsInstalled)
                await Step(context, failures, "12. compose", () => { var b = new ComposeBenchmark(context, peers); b.Run(report); compose = b; return Task.CompletedTask; }, peers);
            else if (all || only == "compose")
                failures.Add("12. compose: docker-compose not installed (apt-get install docker-compose)");
            if (all || only == "network")
                await Step(context, failures, "13. network", () => { var b = new NetworkBenchmark(context); b.Run(report); network = b; return Task.CompletedTask; }, peers);
        }
        catch (Exception e)
        {
            failures.Add("setup: " + e.Message);
            context.Log("FAILED: " + e);
        }
        finally
        {
            if (peers is not null)
                teardown.AddRange(peers.Stop());
            teardown.AddRange(janitor.SweepCgroups());
        }
        var leaks = janitor.FindLeaks();
        bool leaked = leaks.Count > 0;
        if (!leaked)
            Directory.Delete(context.WorkDirectory, recursive: true);
        string loadAfter = File.ReadAllText("/proc/loadavg").Trim();

        if (peers is not null)
        {
            if (all || only == "start")
                Judge(report, peers, runRm, profile, density, memory, imageLoad);
            JudgeStorage(report, commit, save, volumeWrite);
            JudgeRegistry(report, registry);
            JudgeBuild(report, build);
            JudgeCompose(report, compose);
            JudgeNetwork(report, network);
        }
        string markdown = Write(context, report, peers, failures, teardown, leaks, janitor, loadBefore, loadAfter, scale, withChart: all);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, markdown);
        string chartNote = all ? DrawChart(context, output, runRm, density, memory) : "";
        if (chartNote.Length > 0)
            context.Log(chartNote);
        Exec.Cleanup();
        context.Log($"written {output} in {context.Elapsed.TotalMinutes:F1} min");
        Console.WriteLine(markdown);
        return failures.Count > 0 || leaked ? 1 : 0;
    }

    private static async Task Step(BenchContext context, List<string> failures, string name, Func<Task> step, Peers? peers = null)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            string health = peers is null ? "" : " — at that point: " + peers.Berthd.Health();
            failures.Add($"{name}: {e.Message}{health}");
            context.Log($"FAILED {name}: {e}{health}");
            if (peers is not null)
                context.Log("berthd's log (without debug lines) ends:\n" + peers.Berthd.LogTail(15));
        }
    }

    private static void Judge(Report report, Peers peers, RunRmBenchmark? runRm, RunProfile? profile, DensityBenchmark? density,
        MemoryBenchmark? memory, ImageLoadBenchmark? imageLoad)
    {
        string costliestRun = profile?.Costliest() ?? "";
        // 1. berth run --rm at most 0.7x crun
        if (runRm?.CrunNet is { } crunNet)
        {
            var ratio = Samples.Ratio("", runRm.Berth, crunNet);
            report.Targets.Add(new Target("`berth run --rm` at most 0.7x `crun run`",
                $"{Report.F(ratio.Median)}x (median per-pair ratio; berth {Report.F(runRm.Berth.Median, 1)} ms, crun {Report.F(crunNet.Median, 1)} ms minus nsenter's median)",
                ratio.Median <= 0.7, costliestRun));
        }
        else
            report.Targets.Add(new Target("`berth run --rm` at most 0.7x `crun run`", "crun not measured", null));

        // No start-latency regression against an older build (issue 10), when the run has one: within 5%. Two builds of
        // the same start path measured 1.02x and 1.02x here on a quiet machine (A/A), so 5% is above that noise; under a
        // load of 10-20 the per-pair medians wandered 1.02-1.19x and mean nothing: judge on a quiet machine.
        if (runRm?.Baseline is { } baseline)
        {
            var ratio = Samples.Ratio("", runRm.Berth, baseline);
            report.Targets.Add(new Target($"no `run --rm` start-latency regression against {peers.BaselineCli!.Name[(peers.BaselineCli.Name.IndexOf('(') + 1)..^1]} (at most 1.05x)",
                $"{Report.F(ratio.Median)}x (median per-pair ratio; this build {Report.F(runRm.Berth.Median, 1)} ms, baseline {Report.F(baseline.Median, 1)} ms)",
                ratio.Median <= 1.05, costliestRun));
        }

        // docker CLI → berthd at least 5x faster than docker CLI → dockerd
        if (runRm?.DockerToDockerd is { } dockerd)
        {
            var speedup = Samples.Ratio("", dockerd, runRm.DockerToBerthd);
            string why = "";
            if (profile is not null)
            {
                double cli = profile.DockerCliStart.Median, daemon = runRm.DockerToBerthd.Median - cli;
                why = $"costliest stage: the docker CLI process itself — `docker --version` alone takes {Report.F(cli, 1)} ms of docker → berthd's {Report.F(runRm.DockerToBerthd.Median, 1)} ms, leaving ~{Report.F(daemon, 1)} ms for the requests and berthd; even a berthd that took 0 ms would give {Report.F(dockerd.Median / cli, 1)}x at most. Within berthd: {profile.Costliest().Replace("costliest stage: ", "")}";
            }
            report.Targets.Add(new Target("docker CLI → berthd at least 5x faster than docker CLI → dockerd",
                $"{Report.F(speedup.Median, 1)}x (median per-pair; {Report.F(runRm.DockerToBerthd.Median, 1)} ms vs {Report.F(dockerd.Median, 1)} ms)", speedup.Median >= 5, why));
        }
        else
            report.Targets.Add(new Target("docker CLI → berthd at least 5x faster than docker CLI → dockerd", "dockerd not measured in this run", null));

        // 50 detached starts in at most 0.5 s
        if (density?.Results.FirstOrDefault() is { } berthDensity)
        {
            double seconds = berthDensity.Start.Median / 1000;
            string why = "";
            if (profile is not null)
            {
                double cliOwn = Math.Max(0, profile.CliDetached.Median - profile.DetachedTotal.Median);
                var parts = new List<(string What, double Ms)>
                {
                    ("the berth CLI process itself (its `run -d` minus the same requests sent by the harness)", cliOwn),
                    ("POST /start", profile.DetachedStart.Median),
                    ("POST /containers/create", profile.DetachedCreate.Median),
                };
                var top = parts.OrderByDescending(p => p.Ms).ToList();
                why = $"costliest stage: one `berth run -d` takes {Report.F(profile.CliDetached.Median, 1)} ms back to back (1b; {Report.F(berthDensity.Start.Median / DensityBenchmark.Containers, 1)} ms in benchmark 2): "
                    + string.Join(", ", top.Select(p => $"{p.What} {Report.F(p.Ms, 1)} ms"))
                    + $" (`berth --version` alone: {Report.F(profile.CliStart.Median, 1)} ms); inside start: "
                    + string.Join(", ", profile.Breakdown.Where(b => b.Stage.StartsWith("start: ", StringComparison.Ordinal)).OrderByDescending(b => b.Ms).Take(2).Select(b => $"{b.Stage[7..]} {Report.F(b.Ms, 1)} ms"));
            }
            report.Targets.Add(new Target($"{DensityBenchmark.Containers} detached starts in at most 0.5 s", $"{Report.F(seconds)} s (median of rounds, berth CLI → berthd)", seconds <= 0.5, why));
        }
        // memory
        if (memory?.BerthPerContainerJudged() is { } perContainer)
            report.Targets.Add(new Target("at most 0.25 MB engine memory per running container", $"{Report.F(perContainer.MB, 3)} MB ({perContainer.How})",
                perContainer.MB <= 0.25, "costliest part: " + memory.PerContainerCause()));
        if (memory?.IdleRssMB() is { } idle)
            report.Targets.Add(new Target("at most 25 MB idle (berthd RSS)", $"{Report.F(idle, 1)} MB (the larger of fresh and idle-after-work)", idle <= 25,
                "costliest part: " + memory.IdleComposition() + memory.GcFinding()));
        // image load within 1.2x of the tar floor
        if (imageLoad?.Berth is { Count: > 0 } berthLoad && imageLoad.Floor is { Count: > 0 } floorLoad)
        {
            var ratio = Samples.Ratio("", berthLoad, floorLoad);
            var syscall = FirstRow(imageLoad.StraceTop).Split(' ');
            string strace = syscall.Length >= 5 ? $"{syscall[^1]} ({syscall[0]}% of berthd's syscall time, {syscall[3]} calls)" : "n/a";
            var symbols = imageLoad.PerfTop.Split('\n').Where(l => l.Contains("[k]", StringComparison.Ordinal)).Take(2)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => $"{p[^1]} {p[0]}").ToList();
            string perf = symbols.Count > 0 ? string.Join(" and ", symbols) + " of its CPU samples" : "n/a";
            report.Targets.Add(new Target("image load within 1.2x of the `tar -x` floor",
                $"{Report.F(ratio.Median)}x (median per-pair; berth {Report.F(imageLoad.Berth.Median / 1000)} s, floor {Report.F(imageLoad.Floor.Median / 1000)} s)", ratio.Median <= 1.2,
                $"costliest stage (section 4's profile): creating the layer's files — {strace}; ext4's inode allocator {perf} (it skips the inodes the previous run deleted seconds before; the floor pays that too). What berth does beyond the floor: it also writes the layer blob (a second copy of the layer's {Report.F(imageLoad.LayerMiB, 0)} MiB: the pwrite64 calls) and hashes it twice (libcrypto)"));
        }
    }

    /// <summary>Issue 13's targets: commit and save at most 1.0x docker's time, a volume write within 5% of the host's throughput.</summary>
    private static void JudgeStorage(Report report, CommitBenchmark? commit, SaveBenchmark? save, VolumeWriteBenchmark? volumeWrite)
    {
        void AtMostDocker(string goal, Samples? berth, Samples? docker)
        {
            if (berth is not { Count: > 0 })
                return;
            if (docker is not { Count: > 0 })
            {
                report.Targets.Add(new Target(goal, "dockerd not measured in this run", null));
                return;
            }
            var ratio = Samples.Ratio("", berth, docker);
            report.Targets.Add(new Target(goal, $"{Report.F(ratio.Median)}x (median per-pair; berthd {Report.F(berth.Median / 1000)} s, dockerd {Report.F(docker.Median / 1000)} s)", ratio.Median <= 1.0));
        }
        AtMostDocker("`commit` of 100 MB of changes at most 1.0x docker", commit?.Berth, commit?.Docker);
        AtMostDocker("`save` of the Debian minbase image at most 1.0x docker", save?.Berth, save?.Docker);
        if (volumeWrite?.BerthVolume is { Count: > 0 } volume && volumeWrite.Host is { Count: > 0 } host)
        {
            var ratio = Samples.Ratio("", volume, host);
            report.Targets.Add(new Target("volume write throughput within 5% of the host filesystem",
                $"{Report.F(ratio.Median)}x (median per-pair; volume {Report.F(volume.Median, 0)} MiB/s, host {Report.F(host.Median, 0)} MiB/s)", ratio.Median >= 0.95));
        }
    }

    /// <summary>Issue 14's targets: cold pull at most 0.8x docker and 1.3x the floor; a pull of a present image under 30 ms.</summary>
    private static void JudgeNetwork(Report report, NetworkBenchmark? network)
    {
        if (network?.BridgeStage is not { } bridge || network.PublishStage is not { } publish)
            return;
        string beside = string.Join(", ", network.BridgeCost.Select(c => $"{c.Key} {Report.F(c.Value.Median)} ms"));
        report.Targets.Add(new Target("network setup on the default bridge adds at most 1.5 ms to a start",
            $"{Report.F(bridge.Median)} ms (berthd's Network stage; wall bridge − none: {beside})", bridge.Median <= 1.5));
        double published = publish.Median - bridge.Median;
        report.Targets.Add(new Target("`-p` adds at most 0.5 ms more", $"{Report.F(published)} ms", published <= 0.5));
        if (network.Bulk is { Count: > 0 } bulk)
            report.Targets.Add(new Target("a published port carries bulk TCP within 10% of the container's own IP",
                $"{Report.F(bulk.Median)}x the time (median per round)", bulk.Median <= 1.1));
    }

    private static void JudgeRegistry(Report report, RegistryBenchmark? registry)
    {
        if (registry is null)
            return;
        foreach (string image in new[] { "Debian minbase", "5 layers" })
        {
            if (!registry.Cold.TryGetValue($"{image}/berth", out var berth))
                continue;
            if (registry.Cold.TryGetValue($"{image}/docker", out var docker))
            {
                var ratio = Samples.Ratio("", berth, docker);
                report.Targets.Add(new Target($"cold pull of {image} at most 0.8x docker", $"{Report.F(ratio.Median)}x (median per-pair; berth {Report.F(berth.Median, 0)} ms, docker {Report.F(docker.Median, 0)} ms)", ratio.Median <= 0.8));
            }
            var floor = Samples.Ratio("", berth, registry.Cold[$"{image}/floor"]);
            report.Targets.Add(new Target($"cold pull of {image} at most 1.3x the floor (skopeo copy + tar -x)", $"{Report.F(floor.Median)}x (median per-pair; floor {Report.F(registry.Cold[$"{image}/floor"].Median, 0)} ms)", floor.Median <= 1.3));
        }
        if (registry.BerthWarm is { Count: > 0 } warm)
            report.Targets.Add(new Target("`berth pull` of an image already present under 30 ms", $"{Report.F(warm.Median, 1)} ms (median, berth CLI process included)", warm.Median < 30));
    }

    /// <summary>Issue 15's targets: a cold build at most 1.0x docker's classic builder, a fully cached rebuild at most 0.3x.</summary>
    private static void JudgeBuild(Report report, BuildBenchmark? build)
    {
        if (build is null)
            return;
        foreach (var (phase, goal, limit) in new[] { ("cold", "cold build of the seed-like Dockerfile at most 1.0x docker's classic builder", 1.0),
                     ("cached", "fully cached rebuild at most 0.3x docker's classic builder", 0.3) })
        {
            if (!build.Results.TryGetValue($"docker → dockerd/{phase}", out var docker) || docker.Count == 0)
            {
                report.Targets.Add(new Target(goal, "dockerd not measured in this run", null));
                continue;
            }
            var berth = build.Results[$"berth → berthd/{phase}"];
            var ratio = Samples.Ratio("", berth, docker);
            string buildah = build.Results.TryGetValue($"buildah/{phase}", out var b) && b.Count > 0 ? $", buildah {Report.F(b.Median, 0)} ms" : "";
            report.Targets.Add(new Target(goal, $"{Report.F(ratio.Median)}x (median per-pair; berth {Report.F(berth.Median, 0)} ms, docker {Report.F(docker.Median, 0)} ms{buildah})", ratio.Median <= limit));
        }
    }

    /// <summary>Issue 17's target: `berth compose up -d` of 10 services at most 0.2x docker-compose → dockerd.</summary>
    private static void JudgeCompose(Report report, ComposeBenchmark? compose)
    {
        if (compose is null)
            return;
        const string goal = "`berth compose up -d` of 10 services at most 0.2x docker-compose → dockerd";
        if (!compose.Results.TryGetValue("docker-compose → dockerd/up -d", out var docker) || docker.Count == 0)
        {
            report.Targets.Add(new Target(goal, "dockerd not measured in this run", null));
            return;
        }
        var berth = compose.Results["berth compose → berthd/up -d"];
        var ratio = Samples.Ratio("", berth, docker);
        report.Targets.Add(new Target(goal, $"{Report.F(ratio.Median)}x (median per-pair; berth compose {Report.F(berth.Median, 0)} ms, docker-compose → dockerd {Report.F(docker.Median, 0)} ms, docker-compose → berthd {Report.F(compose.Results["docker-compose → berthd/up -d"].Median, 0)} ms)", ratio.Median <= 0.2));
    }

    private static string FirstRow(string table)
    {
        foreach (string line in table.Split('\n'))
        {
            string t = line.Trim();
            if (t.Length == 0 || t.StartsWith('%') || t.StartsWith("---") || t.StartsWith('(') || t.StartsWith("Overhead") || t.StartsWith("by "))
                continue;
            return string.Join(' ', t.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return "n/a";
    }

    private static string Write(BenchContext context, Report report, Peers? peers, List<string> failures, List<string> teardown, List<string> leaks,
        Janitor janitor, string loadBefore, string loadAfter, ScaleBenchmark? scale, bool withChart)
    {
        var md = new StringBuilder();
        md.AppendLine("# Berth benchmarks: side by side with docker, podman, runc and crun");
        md.AppendLine();
        string total = long.TryParse(Environment.GetEnvironmentVariable("BERTH_BENCH_MAKE_START"), out long makeStart)
            ? $" ({(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - makeStart) / 60.0:F1} minutes for the whole `make` with setup and build)"
            : "";
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Generated {context.Started:yyyy-MM-dd HH:mm} UTC by `{(context.Quick ? "make bench-quick" : "make bench")}`: the benchmarks took {context.Elapsed.TotalMinutes:F1} minutes{total}. Every engine ran on the same machine in the same run, interleaved (A B C … A B C …); ratios are taken per pair (two numbers measured in the same round) and summarised by their median, because the machine is shared and noisy and a single absolute time means little."));
        md.AppendLine();
        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine($"- CPU: {CpuModel()}, {Environment.ProcessorCount} vCPUs; memory {MemTotalGiB():F0} GiB; kernel {Exec.VersionOf("uname", "-r")}; Debian {File.ReadAllText("/etc/debian_version").Trim()}");
        md.AppendLine($"- cgroups: {(File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "unified (v2)" : "hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)")}; the benchmark's own memory cgroup is `{context.OwnMemoryCgroup}` and every engine's containers live below it, each engine under its own parent `{context.Prefix}-<engine>`");
        md.AppendLine($"- load average (1, 5, 15 min) at start: {string.Join(' ', loadBefore.Split(' ').Take(3))}; at end: {string.Join(' ', loadAfter.Split(' ').Take(3))} — other work shared the machine");
        md.AppendLine();
        md.AppendLine("## Versions");
        md.AppendLine();
        if (peers is not null)
            md.AppendLine(Report.Table(["program", "version"], peers.Versions.Select(v => new[] { v.What, v.Version })));
        if (peers?.Skipped.Count > 0)
        {
            foreach (string s in peers.Skipped)
                md.AppendLine("- not measured: " + s);
            md.AppendLine();
        }
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine(Report.Table(["target", "measured", "verdict"], report.Targets.Select(t => new[]
        {
            t.Goal, t.Measured, t.Pass switch { true => "**PASS**", false => "**MISS**", null => "not measured" },
        })));
        var misses = report.Targets.Where(t => t.Pass == false).ToList();
        if (misses.Count > 0)
        {
            md.AppendLine("Where Berth misses a target, and the stage that costs the most:");
            md.AppendLine();
            foreach (var t in misses)
                md.AppendLine($"- **MISS — {t.Goal}**: measured {t.Measured}.{(t.Costliest.Length > 0 ? $" {t.Costliest}." : "")}");
            md.AppendLine();
        }
        if (failures.Count > 0)
        {
            md.AppendLine("**Benchmarks that failed in this run** (their sections are missing):");
            md.AppendLine();
            foreach (string f in failures)
                md.AppendLine("- " + f.ReplaceLineEndings(" "));
            md.AppendLine();
        }
        if (withChart)
        {
            md.AppendLine("![medians with min-max whiskers](latest.png)");
            md.AppendLine();
        }
        foreach (var (title, body) in report.Sections)
        {
            md.AppendLine("## " + title);
            md.AppendLine();
            md.AppendLine(body.TrimEnd());
            md.AppendLine();
        }
        md.AppendLine("## Cleanup check");
        md.AppendLine();
        md.AppendLine(leaks.Count == 0
            ? "After stopping every engine: no mount under the run's directory, no process running from it, no cgroup of this run left anywhere. **No leak.**"
            : "**LEAK** — left after stopping every engine and cleaning up:");
        foreach (string l in leaks)
            md.AppendLine("- " + l);
        var removed = teardown.Where(t => t.StartsWith("removed ", StringComparison.Ordinal)).ToList();
        var other = teardown.Where(t => !t.StartsWith("removed ", StringComparison.Ordinal)).ToList();
        md.AppendLine();
        md.AppendLine($"What the engines left for the harness to clean (expected: dockerd and podman keep their empty cgroup parents; berthd removes its own): {(removed.Count == 0 ? "nothing" : $"{removed.Count} empty cgroup directories")}"
            + $"{(removed.Count == 0 ? "" : " — " + string.Join(", ", removed.Select(r => r[(r.IndexOf(context.Prefix, StringComparison.Ordinal))..]).Distinct().Take(12)))}"
            + (janitor.CreatedIntermediates.Count > 0 ? $"; and {janitor.CreatedIntermediates.Count} intermediate directories that podman and crun created for their absolute cgroup path (the caller's memory cgroup path, repeated in the other hierarchies)" : "") + ".");
        foreach (string o in other)
            md.AppendLine("- " + o.ReplaceLineEndings(" "));
        md.AppendLine();
        md.AppendLine("## How to run");
        md.AppendLine();
        md.AppendLine("`make bench` (as root, Debian 12): installs what is missing from Debian (bench/setup.sh: runc, crun, podman, buildah, docker.io, hyperfine, skopeo, umoci, debootstrap, gnuplot-nox, strace, perf), builds Berth and the test images, builds and caches the Debian minbase image (bench/debian-rootfs.sh, in /var/cache/berth-bench), starts berthd and a private dockerd (bench/dockerd.sh) with private data roots and sockets, runs every benchmark, stops what it started and writes this file and latest.png (raw data in bench/results/raw/, not committed). `make bench-quick` runs fewer iterations without dockerd and podman and writes bench/results/raw/quick.md instead. The harness is bench/Berth.Bench (one class per benchmark).");
        return md.ToString();
    }

    private static string DrawChart(BenchContext context, string output, RunRmBenchmark? runRm, DensityBenchmark? density, MemoryBenchmark? memory)
    {
        string dir = Path.GetDirectoryName(output)!;
        string png = Path.Combine(dir, Path.GetFileNameWithoutExtension(output) + ".png");
        var b1 = new List<Chart.Bar>();
        if (runRm is not null)
        {
            b1.Add(Chart.From("berth", runRm.Berth));
            b1.Add(Chart.From("docker→berthd", runRm.DockerToBerthd));
            if (runRm.DockerToDockerd is { } d) b1.Add(Chart.From("docker→dockerd", d));
            if (runRm.Podman is { } p) b1.Add(Chart.From("podman", p));
            if (runRm.Runc is { } r) b1.Add(Chart.From("runc run", r));
            if (runRm.CrunNet is { } c) b1.Add(Chart.From("crun run", c));
            b1.Add(Chart.From("floor", runRm.Floor));
        }
        var b2 = density?.Results.Select(r => Chart.From(Short(r.Engine.Name), r.Start, 0.001)).ToList() ?? [];
        var b3 = new List<Chart.Bar>();
        if (memory is not null)
            foreach (var g in memory.Samples.GroupBy(s => s.Engine))
            {
                var v = g.Select(s => MemoryBenchmark.MB(s.EngineKiBEach)).Order().ToList();
                b3.Add(new Chart.Bar(Short(g.Key), v[v.Count / 2], v[0], v[^1]));
            }
        if (b1.Count == 0)
            return "no chart: benchmark 1 did not run";
        return Chart.Draw($"Berth vs docker, podman, runc, crun — {context.Started:yyyy-MM-dd} ({(context.Quick ? "quick" : "full")} run)", b1, b2, b3,
            Path.Combine(BenchPaths.ResultsDirectory, "raw"), png);
    }

    private static string Short(string engine) => engine.Replace(" → ", "→");

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    private static double MemTotalGiB() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1048576.0;
}
