using System.Reflection;

namespace Berth.Cli.Api;

/// <summary>berth's own version and commit, from the assembly's informational version ("0.1.0+&lt;commit&gt;").</summary>
public static class ClientVersion
{
    private static readonly string Informational =
        typeof(ClientVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => Informational.Split('+')[0];

    /// <summary>The short commit, or "unknown".</summary>
    public static string GitCommit
    {
        get
        {
            int plus = Informational.IndexOf('+');
            return plus < 0 ? "unknown" : Informational[(plus + 1)..Math.Min(Informational.Length, plus + 8)];
        }
    }

    /// <summary>The User-Agent header, shaped like the docker CLI's "Docker-Client/28.2.2 (linux)".</summary>
    public static string UserAgent => $"Berth-Client/{Version} (linux)";
}
