namespace Berth.Api.Tests.Infrastructure;

/// <summary>Where the repository and its build outputs are, seen from a test binary.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>berthd, berth-launcher and berth-init, built by `make` (BERTH_HELPER_DIR overrides).</summary>
    public static string BinDirectory =>
        Environment.GetEnvironmentVariable("BERTH_HELPER_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Root, "artifacts", "bin");

    public static string Berthd => Path.Combine(BinDirectory, "berthd");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Runtime.sln above {AppContext.BaseDirectory}");
    }
}
