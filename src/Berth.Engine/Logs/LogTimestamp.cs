using System.Globalization;

namespace Berth.Engine.Logs;

/// <summary>Go's RFC3339Nano as Docker writes it: UTC, fractional seconds without trailing zeros.</summary>
public static class LogTimestamp
{
    public static string Format(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static DateTime Parse(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
