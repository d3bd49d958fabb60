namespace Berth.Cli.Options;

/// <summary>The docker client's normalizeCapabilities: upper case, "CAP_" prefix (except ALL), duplicates removed, sorted; null stays null.</summary>
public static class Capabilities
{
    public static List<string>? Normalize(IReadOnlyCollection<string> capabilities)
    {
        if (capabilities.Count == 0)
            return null;
        return capabilities
            .Select(c => c.Trim().ToUpperInvariant())
            .Select(c => c == "ALL" || c.StartsWith("CAP_", StringComparison.Ordinal) ? c : "CAP_" + c)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
