using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>The Go time layouts docker prints.</summary>
internal static class GoTime
{
    /// <summary>Go's <c>time.Unix(seconds, 0).String()</c> in the local zone: "2025-05-30 12:07:14 +0000 UTC".</summary>
    public static string UnixString(long seconds, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Local;
        var utc = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        string offset = Offset(local.Offset);
        return local.ToString("yyyy'-'MM'-'dd HH':'mm':'ss", CultureInfo.InvariantCulture) + " " + offset + " " + ZoneName(zone, local, offset);
    }

    /// <summary>Go's <c>time.ANSIC</c> layout, "Mon Jan _2 15:04:05 2006", of a time with its own offset.</summary>
    public static string Ansic(DateTimeOffset time) =>
        time.ToString("ddd MMM ", CultureInfo.InvariantCulture)
        + time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
        + time.ToString(" HH':'mm':'ss yyyy", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);

    /// <summary>The zone abbreviation Go would print; "UTC" for UTC, else the zone's short name when it has one, else the offset.</summary>
    private static string ZoneName(TimeZoneInfo zone, DateTimeOffset local, string offset)
    {
        if (zone.Id is "UTC" or "Etc/UTC" or "Etc/Universal" or "Universal" or "Zulu" or "Etc/Zulu")
            return "UTC";
        string name = zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
        return name.Length is > 0 and <= 6 && !name.Contains(' ') ? name : offset;
    }
}
