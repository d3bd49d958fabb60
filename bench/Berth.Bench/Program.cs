using Berth.Bench;

// Usage:
//   Berth.Bench suite [--quick] [--no-slow-peers] [--output FILE]   benchmarks 1-9 side by side (make bench, make bench-quick)
//   Berth.Bench suite --only start                                   benchmark 1 alone (run --rm; with BERTH_BENCH_BASELINE, an older build beside): bench/results/start.md
//   Berth.Bench suite --only storage                                 benchmarks 7-9 alone (commit, save, volume write): bench/results/storage.md
//   Berth.Bench suite --only registry                                benchmark 10 alone (pull and push, local registry): bench/results/registry.md
//   Berth.Bench suite --only build                                   benchmark 11 alone (issue 15: cold, cached, changed build vs docker classic and buildah): bench/results/build.md
//   Berth.Bench suite --only compose                                 benchmark 12 alone (issue 17: compose up -d and down of 10 services vs docker-compose): bench/results/compose.md
//   Berth.Bench engine-start [--iterations N] [--output FILE]       create+start+wait+remove at the engine level vs crun
//   Berth.Bench network [--quick] [--no-slow-peers] [--output FILE]  run --rm none/bridge/-p and run -d -p of 50, beside docker and podman (issue 12)
//   Berth.Bench live-restore [--rounds N] [--output FILE]            berthd back with 100 running containers, memory per container (issue 16)
string mode = args.Length > 0 ? args[0] : "suite";
switch (mode)
{
    case "suite":
        bool quick = args.Contains("--quick");
        string suiteOutput = StringOption(args, "--output",
            quick ? Path.Combine(BenchPaths.ResultsDirectory, "raw", "quick.md") : Path.Combine(BenchPaths.ResultsDirectory, "latest.md"));
        string? only = StringOption(args, "--only", "") is { Length: > 0 } selected ? selected : null;
        if (only is not null && args.Contains("--output") is false)
            suiteOutput = Path.Combine(BenchPaths.ResultsDirectory, only + ".md");
        return await Suite.RunAsync(quick, slowPeers: !quick && !args.Contains("--no-slow-peers") || args.Contains("--slow-peers"), suiteOutput, only);
    case "engine-start":
        int iterations = IntOption(args, "--iterations", 50);
        string output = StringOption(args, "--output", Path.Combine(BenchPaths.ResultsDirectory, "engine-start.md"));
        string report = (await EngineStartBenchmark.RunAsync(iterations)).Markdown;
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, report);
        Console.WriteLine(report);
        Console.WriteLine($"written to {output}");
        return 0;
    case "network":
    {
        string networkOutput = StringOption(args, "--output", Path.Combine(BenchPaths.ResultsDirectory, "network.md"));
        var networkContext = new BenchContext(args.Contains("--quick"), slowPeers: !args.Contains("--quick") && !args.Contains("--no-slow-peers"));
        string markdown = "# Networking (issue 12)\n\n" + await new NetworkBenchmark(networkContext).RunAsync();
        Directory.Delete(networkContext.WorkDirectory, recursive: true);
        Directory.CreateDirectory(Path.GetDirectoryName(networkOutput)!);
        File.WriteAllText(networkOutput, markdown);
        Console.WriteLine(markdown);
        return 0;
    }
    case "live-restore":
    {
        string liveOutput = StringOption(args, "--output", Path.Combine(BenchPaths.ResultsDirectory, "live-restore.md"));
        var liveContext = new BenchContext(quick: false, slowPeers: false);
        string markdown = $"# Live restore (issue 16)\n\n{liveContext.Started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs.\n\n"
            + await LiveRestoreBenchmark.RunAsync(liveContext, IntOption(args, "--rounds", 3));
        Directory.CreateDirectory(Path.GetDirectoryName(liveOutput)!);
        File.WriteAllText(liveOutput, markdown);
        Console.WriteLine(markdown);
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown benchmark `{mode}`; known: suite, engine-start, network, live-restore");
        return 2;
}

static int IntOption(string[] args, string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

static string StringOption(string[] args, string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
