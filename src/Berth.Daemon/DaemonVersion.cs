using System.Reflection;

namespace Berth.Daemon;

/// <summary>Berth's version as the API reports it (<c>/version</c>, <c>/info</c>, the Server header).</summary>
public static class DaemonVersion
{
    public const string Version = "0.1.0";

    public const string ServerHeader = "Berth/" + Version + " (linux)";

    /// <summary>The commit embedded at build time (Directory.Build.props appends it to the informational version), or "unknown".</summary>
    public static string GitCommit { get; } = CommitOf(
        typeof(DaemonVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    internal static string CommitOf(string? informational) =>
        informational?.IndexOf('+') is int plus and >= 0 && plus + 1 < informational.Length
            ? informational[(plus + 1)..Math.Min(informational.Length, plus + 8)]
            : "unknown";
}
