using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Cli.Options;

/// <summary>
/// docker's <c>--since</c>/<c>--until</c> values (moby api/types/time GetTimestamp): a Go duration ("10m",
/// "1h30m") counts back from now and gives whole unix seconds, an RFC 3339 time or date is converted to
/// "seconds.nanoseconds", and a unix timestamp passes as given.
/// </summary>
public static partial class LogTimestamp
{
    public static string Convert(string value, DateTimeOffset now)
    {
        if (value.Length == 0)
            return value;
        if (TryParseDuration(value, out var duration))
            return (now - duration).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (UnixPattern().IsMatch(value))
            return value;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
            return Format(time);
        throw new FlagValueException($"failed to parse value as time or duration: \"{value}\"");
    }

    private static string Format(DateTimeOffset time)
    {
        long ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        return $"{seconds}.{rest * 100:D9}";
    }

    /// <summary>Go's time.ParseDuration for the units h, m, s, ms, us, ns.</summary>
    public static bool TryParseDuration(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(value);
        if (!match.Success)
            return false;
        double total = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var piece = PartPattern().Match(part.Value);
            double number = double.Parse(piece.Groups[1].Value, CultureInfo.InvariantCulture);
            total += piece.Groups[2].Value switch
            {
                "h" => number * 3600e9,
                "m" => number * 60e9,
                "s" => number * 1e9,
                "ms" => number * 1e6,
                "us" or "µs" => number * 1e3,
                _ => number,
            };
        }
        duration = TimeSpan.FromTicks((long)(total / 100));
        if (match.Groups["sign"].Value == "-")
            duration = -duration;
        return true;
    }

    [GeneratedRegex(@"^(?<sign>[-+]?)(?:(?<part>[0-9]*\.?[0-9]+(?:ns|us|µs|ms|s|m|h)))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)$")]
    private static partial Regex PartPattern();

    [GeneratedRegex(@"^-?[0-9]+(?:\.[0-9]{1,9})?$")]
    private static partial Regex UnixPattern();
}
