namespace Berth.Bench;

public static class BenchPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ResultsDirectory => Path.Combine(RepositoryRoot, "bench", "results");

    public static string HelperDirectory => Path.Combine(RepositoryRoot, "artifacts", "bin");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
                return dir.FullName;
        throw new InvalidOperationException("no Runtime.sln above the benchmark binary");
    }
}
