using System.Globalization;

namespace Berth.Cli.Options;

/// <summary>
/// docker/go-units <c>RAMInBytes</c>: "32m", "1.5g", "512 KiB", "100" (bytes). Suffixes b, k, m, g, t, p with
/// an optional "b" or "ib", case-insensitive, all binary (1k = 1024).
/// </summary>
public static class MemorySize
{
    private const string NumberCharacters = "01234567890.";

    public static long Parse(string text)
    {
        string number;
        string suffix;
        int space = text.IndexOf(' ');
        if (space >= 0)
        {
            number = text[..space];
            suffix = text[(space + 1)..];
        }
        else
        {
            int last = text.LastIndexOfAny(NumberCharacters.ToCharArray());
            if (last < 0)
                throw new FlagValueException($"invalid size: '{text}'");
            number = text[..(last + 1)];
            suffix = text[(last + 1)..];
        }
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double size))
            throw new FlagValueException($"strconv.ParseFloat: parsing \"{number}\": invalid syntax");
        if (size < 0)
            throw new FlagValueException($"invalid size: '{text}'");
        if (suffix.Length == 0)
            return (long)size;
        if (suffix.Length > 3)
            throw BadSuffix(suffix);
        suffix = suffix.ToLowerInvariant();
        if (suffix[0] == 'b')
            return suffix.Length == 1 ? (long)size : throw BadSuffix(suffix);
        long multiplier = suffix[0] switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            'p' => 1L << 50,
            _ => throw BadSuffix(suffix),
        };
        if ((suffix.Length == 2 && suffix[1] != 'b') || (suffix.Length == 3 && suffix[1..] != "ib"))
            throw BadSuffix(suffix);
        return (long)(size * multiplier);
    }

    private static FlagValueException BadSuffix(string suffix) => new($"invalid suffix: '{suffix}'");
}
