using Berth.Bench;

// Usage: Berth.Bench engine-start [--iterations N] [--output FILE]
string mode = args.Length > 0 ? args[0] : "engine-start";
int iterations = IntOption(args, "--iterations", 50);
string output = StringOption(args, "--output", Path.Combine(BenchPaths.ResultsDirectory, "engine-start.md"));
switch (mode)
{
    case "engine-start":
        string report = await EngineStartBenchmark.RunAsync(iterations);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, report);
        Console.WriteLine(report);
        Console.WriteLine($"written to {output}");
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark `{mode}`; known: engine-start");
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
