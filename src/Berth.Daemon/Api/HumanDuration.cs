using System.Globalization;

namespace Berth.Daemon.Api;

/// <summary>go-units' HumanDuration, word for word: the durations of <c>docker ps</c>'s Status column.</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        int seconds = (int)d.TotalSeconds;
        if (seconds < 1)
            return "Less than a second";
        if (seconds == 1)
            return "1 second";
        if (seconds < 60)
            return Invariant($"{seconds} seconds");
        int minutes = (int)d.TotalMinutes;
        if (minutes == 1)
            return "About a minute";
        if (minutes < 60)
            return Invariant($"{minutes} minutes");
        int hours = (int)(d.TotalHours + 0.5);
        if (hours == 1)
            return "About an hour";
        if (hours < 48)
            return Invariant($"{hours} hours");
        if (hours < 24 * 7 * 2)
            return Invariant($"{hours / 24} days");
        if (hours < 24 * 30 * 2)
            return Invariant($"{hours / 24 / 7} weeks");
        if (hours < 24 * 365 * 2)
            return Invariant($"{hours / 24 / 30} months");
        return Invariant($"{(int)d.TotalHours / 24 / 365} years");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
