namespace Berth.Cli.Output;

/// <summary>moby stringid.TruncateID: drops an "algorithm:" prefix and keeps 12 characters.</summary>
internal static class ShortId
{
    public static string Of(string id)
    {
        int colon = id.IndexOf(':');
        if (colon >= 0)
            id = id[(colon + 1)..];
        return id.Length > 12 ? id[..12] : id;
    }
}
