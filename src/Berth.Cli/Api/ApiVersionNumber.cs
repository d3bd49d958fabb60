namespace Berth.Cli.Api;

/// <summary>Engine API versions ("1.50") compared numerically, part by part, as the docker client does.</summary>
public static class ApiVersionNumber
{
    /// <summary>What berth speaks (docker CLI 28.x's version).</summary>
    public const string Client = Berth.Api.ApiVersions.Current;

    /// <summary>What the docker client assumes when the daemon does not say.</summary>
    public const string Fallback = "1.24";

    public static int Compare(string a, string b)
    {
        var left = a.Split('.');
        var right = b.Split('.');
        for (int i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            int l = i < left.Length && int.TryParse(left[i], out int x) ? x : 0;
            int r = i < right.Length && int.TryParse(right[i], out int y) ? y : 0;
            if (l != r)
                return l.CompareTo(r);
        }
        return 0;
    }

    /// <summary>The version to use with a daemon that advertises <paramref name="server"/>: the lower of the two.</summary>
    public static string Negotiate(string? server)
    {
        if (string.IsNullOrWhiteSpace(server))
            return Fallback;
        return Compare(server, Client) < 0 ? server.Trim() : Client;
    }
}
