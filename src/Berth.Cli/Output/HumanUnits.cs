namespace Berth.Cli.Output;

/// <summary>
/// docker/go-units as the docker CLI uses it: <c>HumanDuration</c> ("2 minutes", "About an hour"),
/// <c>HumanSize</c> (decimal units, "4.26MB" at precision 3) and <c>BytesSize</c> (binary units, "7.629GiB").
/// </summary>
internal static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    /// <summary>go-units <c>HumanDuration</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        // Go converts to int, truncating toward zero.
        int seconds = (int)duration.TotalSeconds;
        if (seconds < 1)
            return "Less than a second";
        if (seconds == 1)
            return "1 second";
        if (seconds < 60)
            return $"{seconds} seconds";
        int minutes = (int)duration.TotalMinutes;
        if (minutes == 1)
            return "About a minute";
        if (minutes < 60)
            return $"{minutes} minutes";
        int hours = (int)(duration.TotalHours + 0.5);
        if (hours == 1)
            return "About an hour";
        if (hours < 48)
            return $"{hours} hours";
        if (hours < 24 * 7 * 2)
            return $"{hours / 24} days";
        if (hours < 24 * 30 * 2)
            return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2)
            return $"{hours / 24 / 30} months";
        return $"{(int)duration.TotalHours / 24 / 365} years";
    }

    /// <summary>"2 minutes ago", as the CREATED columns of ps and images print a unix time.</summary>
    public static string Ago(long unixSeconds, DateTimeOffset now) =>
        Duration(now - DateTimeOffset.FromUnixTimeSeconds(unixSeconds)) + " ago";

    /// <summary>go-units <c>HumanSizeWithPrecision</c>: decimal units, <c>%.*g</c>.</summary>
    public static string Size(double size, int precision = 4)
    {
        var (value, unit) = Scale(size, 1000.0, DecimalUnits);
        return GoFloat.FormatG(value, precision) + unit;
    }

    /// <summary>go-units <c>BytesSize</c>: binary units, <c>%.4g</c>.</summary>
    public static string BytesSize(double size)
    {
        var (value, unit) = Scale(size, 1024.0, BinaryUnits);
        return GoFloat.FormatG(value, 4) + unit;
    }

    private static (double Value, string Unit) Scale(double size, double unitBase, string[] units)
    {
        int i = 0;
        while (size >= unitBase && i < units.Length - 1)
        {
            size /= unitBase;
            i++;
        }
        return (size, units[i]);
    }
}
