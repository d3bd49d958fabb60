using System.Globalization;

namespace Berth.Api;

/// <summary>Times on the wire: Go's RFC3339Nano in UTC, and Docker's zero time for "never".</summary>
public static class ApiTimestamp
{
    /// <summary>Go's zero time, what Docker shows for a container never started or never finished.</summary>
    public const string Never = "0001-01-01T00:00:00Z";

    /// <summary>RFC3339Nano (fraction without trailing zeros); <see cref="Never"/> for <c>default(DateTime)</c>.</summary>
    public static string Format(DateTime time)
    {
        if (time == default)
            return Never;
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    public static string Format(DateTimeOffset time) => Format(time.UtcDateTime);

    /// <summary>Parses an RFC3339 time to UTC; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out DateTime utc) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);
}
