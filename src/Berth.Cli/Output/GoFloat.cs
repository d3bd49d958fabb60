using System.Globalization;
using System.Numerics;
using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// Go's <c>fmt.Sprintf("%.*g", precision, value)</c> for finite non-negative values, digit for digit:
/// the exact decimal expansion of the double is rounded half-to-even to <c>precision</c> significant
/// digits, trailing zeros dropped, and the exponent form used when the exponent is below -4 or at least
/// the precision (so 999.5 at precision 3 is "1e+03", as docker prints it).
/// </summary>
internal static class GoFloat
{
    public static string FormatG(double value, int precision)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), "not a finite number");
        if (precision < 1)
            throw new ArgumentOutOfRangeException(nameof(precision));
        if (value == 0)
            return "0";
        string sign = value < 0 ? "-" : "";
        var (digits, point) = Round(ExactDigits(Math.Abs(value)), precision);
        int count = digits.Length;
        int exponentPrecision = precision;
        if (exponentPrecision > count && count >= point)
            exponentPrecision = count;
        int exponent = point - 1;
        if (exponent < -4 || exponent >= exponentPrecision)
        {
            int shown = Math.Min(precision, count);
            var text = new StringBuilder(sign).Append(digits[0]);
            if (shown > 1)
                text.Append('.').Append(digits, 1, shown - 1);
            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
            return text.ToString();
        }
        int decimals = Math.Max((precision > point ? count : precision) - point, 0);
        return sign + Fixed(digits, point, decimals);
    }

    /// <summary>The significant digits of <paramref name="value"/> (no leading or trailing zeros) and the decimal point position: value = 0.digits × 10^point.</summary>
    private static (string Digits, int Point) ExactDigits(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biasedExponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (biasedExponent == 0)
            biasedExponent = 1;
        else
            mantissa |= 1L << 52;
        int exponent = biasedExponent - 1075;
        string digits;
        int point;
        if (exponent >= 0)
        {
            digits = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            point = digits.Length;
        }
        else
        {
            digits = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            point = digits.Length + exponent;
        }
        return (digits.TrimEnd('0'), point);
    }

    private static (string Digits, int Point) Round((string Digits, int Point) number, int precision)
    {
        var (digits, point) = number;
        if (digits.Length <= precision)
            return number;
        char next = digits[precision];
        bool restNonZero = digits.AsSpan(precision + 1).ContainsAnyExcept('0');
        bool up = next > '5' || (next == '5' && (restNonZero || (digits[precision - 1] - '0') % 2 == 1));
        var kept = digits.ToCharArray(0, precision);
        if (up)
        {
            int i = precision - 1;
            while (i >= 0 && kept[i] == '9')
                kept[i--] = '0';
            if (i < 0)
                return ("1", point + 1);
            kept[i]++;
        }
        return (new string(kept).TrimEnd('0'), point);
    }

    private static string Fixed(string digits, int point, int decimals)
    {
        var text = new StringBuilder();
        if (point > 0)
        {
            text.Append(digits, 0, Math.Min(point, digits.Length));
            text.Append('0', Math.Max(point - digits.Length, 0));
        }
        else
        {
            text.Append('0');
        }
        if (decimals > 0)
        {
            text.Append('.');
            for (int i = 0; i < decimals; i++)
            {
                int index = point + i;
                text.Append(index >= 0 && index < digits.Length ? digits[index] : '0');
            }
        }
        return text.ToString();
    }
}
