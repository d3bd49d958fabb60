using System.Globalization;
using System.Numerics;

namespace Berth.Cli.Options;

/// <summary>docker's <c>--cpus</c>: a rational number ("1.5", "0.25", "3/2") times 10⁹, which must come out whole.</summary>
public static class NanoCpus
{
    public static long Parse(string text)
    {
        if (!TryParseRational(text, out var numerator, out var denominator))
            throw new FlagValueException($"failed to parse {text} as a rational number");
        var nano = numerator * 1_000_000_000;
        if (nano % denominator != 0)
            throw new FlagValueException("value is too precise");
        var value = nano / denominator;
        if (value > long.MaxValue || value < long.MinValue)
            throw new FlagValueException("value is too precise");
        return (long)value;
    }

    /// <summary>Go's <c>big.Rat.SetString</c> forms: "a/b", or a decimal with an optional exponent.</summary>
    private static bool TryParseRational(string text, out BigInteger numerator, out BigInteger denominator)
    {
        numerator = 0;
        denominator = 1;
        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            if (!BigInteger.TryParse(text[..slash], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out numerator)
                || !BigInteger.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out denominator)
                || denominator.IsZero)
                return false;
            return true;
        }
        string mantissa = text;
        int exponent = 0;
        int e = text.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
                return false;
            mantissa = text[..e];
        }
        bool negative = mantissa.StartsWith('-');
        if (negative || mantissa.StartsWith('+'))
            mantissa = mantissa[1..];
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || (point >= 0 && mantissa.IndexOf('.', point + 1) >= 0))
            return false;
        if (point >= 0)
            exponent -= mantissa.Length - point - 1;
        numerator = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (negative)
            numerator = -numerator;
        if (Math.Abs(exponent) > 4096)
            return false;
        if (exponent >= 0)
            numerator *= BigInteger.Pow(10, exponent);
        else
            denominator = BigInteger.Pow(10, -exponent);
        return true;
    }
}
