using System.Globalization;

namespace Berth.Compose;

/// <summary>Compose's byte sizes (<c>512m</c>, <c>1g</c>, <c>1024</c>) and durations (<c>1m30s</c>, <c>500ms</c>).</summary>
public static class Units
{
    public static long Bytes(string text, ComposeNode at)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('b'))
            t = t[..^1];
        long unit = t.Length > 0 ? t[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, 't' => 1L << 40, _ => 1 } : 1;
        if (unit != 1)
            t = t[..^1];
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0
            ? (long)(value * unit)
            : throw new ComposeFileException(at, $"invalid size: '{text}'");
    }

    /// <summary>Go's time.ParseDuration subset compose uses: h, m, s, ms, us, ns, combined (<c>1m30s</c>); a bare number is seconds.</summary>
    public static TimeSpan Duration(string text, ComposeNode at)
    {
        string t = text.Trim();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double bare))
            return TimeSpan.FromSeconds(bare);
        var total = TimeSpan.Zero;
        int i = 0;
        while (i < t.Length)
        {
            int start = i;
            while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] == '.'))
                i++;
            int unitStart = i;
            while (i < t.Length && char.IsAsciiLetter(t[i]))
                i++;
            if (start == unitStart || !double.TryParse(t[start..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                throw new ComposeFileException(at, $"invalid duration: '{text}'");
            total += t[unitStart..i] switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                "us" or "µs" => TimeSpan.FromMicroseconds(number),
                "ns" => TimeSpan.FromTicks((long)(number / 100)),
                _ => throw new ComposeFileException(at, $"invalid duration: '{text}'"),
            };
        }
        return total;
    }
}
