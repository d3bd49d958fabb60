using System.Globalization;

namespace Berth.Engine.Volumes;

/// <summary>
/// Sizes as go-units' RAMInBytes reads them (what docker uses for tmpfs-size and the local driver's size):
/// a decimal number and an optional binary unit b, k, m, g, t or p (with or without a trailing "b", any case).
/// </summary>
public static class ByteSize
{
    public static long Parse(string text, string what)
    {
        string s = text.Trim().ToLowerInvariant();
        if (s.EndsWith("ib", StringComparison.Ordinal))
            s = s[..^2] + "b";
        int end = s.Length;
        if (end > 1 && s[end - 1] == 'b' && char.IsAsciiLetter(s[end - 2]))
            end--;
        long multiplier = 1;
        if (end > 0 && char.IsAsciiLetter(s[end - 1]))
        {
            multiplier = s[end - 1] switch
            {
                'b' => 1L,
                'k' => 1L << 10,
                'm' => 1L << 20,
                'g' => 1L << 30,
                't' => 1L << 40,
                'p' => 1L << 50,
                _ => 0,
            };
            end--;
        }
        if (multiplier == 0 || end == 0 || !double.TryParse(s.AsSpan(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)
            || number * multiplier > long.MaxValue)
            throw new InvalidParameterException($"invalid {what}: '{text}' is not a size (bytes, or a number with b, k, m, g, t or p)");
        return (long)(number * multiplier);
    }
}
