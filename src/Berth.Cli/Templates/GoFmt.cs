using System.Globalization;
using System.Text;
using Berth.Cli.Output;

namespace Berth.Cli.Templates;

/// <summary>
/// The part of Go's fmt that templates reach through print, println and printf: %v %s %d %q %t %f %e %g %x %X %c %%
/// with flags (- + 0 space), width and precision, and fmt's %!verb(type=value) and %!verb(MISSING) for mistakes.
/// </summary>
internal static class GoFmt
{
    /// <summary>fmt.Sprint: spaces between operands when neither side is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var text = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
                text.Append(' ');
            TemplateValues.AppendPrint(text, args[i]);
        }
        return text.ToString();
    }

    public static string Sprintln(IReadOnlyList<object?> args) =>
        string.Join(" ", args.Select(TemplateValues.Print)) + "\n";

    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var text = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                text.Append(c);
                continue;
            }
            i++;
            bool minus = false, plus = false, zero = false, space = false, sharp = false;
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': minus = true; continue;
                    case '+': plus = true; continue;
                    case '0': zero = true; continue;
                    case ' ': space = true; continue;
                    case '#': sharp = true; continue;
                }
                break;
            }
            int width = ReadNumber(format, ref i);
            int precision = -1;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = Math.Max(ReadNumber(format, ref i), 0);
            }
            if (i >= format.Length)
            {
                text.Append("%!(NOVERB)");
                break;
            }
            char verb = format[i];
            if (verb == '%')
            {
                text.Append('%');
                continue;
            }
            if (next >= args.Count)
            {
                text.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            object? arg = args[next++];
            string? formatted = Format(verb, arg, precision, plus, space, sharp);
            if (formatted is null)
            {
                text.Append("%!").Append(verb).Append('(').Append(TemplateValues.TypeName(arg)).Append('=').Append(TemplateValues.Print(arg)).Append(')');
                continue;
            }
            Pad(text, formatted, width, minus, zero && !minus && verb is 'd' or 'f' or 'e' or 'g' or 'x' or 'X');
        }
        if (next < args.Count)
        {
            text.Append("%!(EXTRA ");
            text.Append(string.Join(", ", args.Skip(next).Select(a => TemplateValues.TypeName(a) + "=" + TemplateValues.Print(a))));
            text.Append(')');
        }
        return text.ToString();
    }

    private static int ReadNumber(string format, ref int i)
    {
        int start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
            i++;
        return i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : 0;
    }

    private static void Pad(StringBuilder text, string value, int width, bool left, bool zero)
    {
        int missing = width - value.EnumerateRunes().Count();
        if (missing <= 0)
            text.Append(value);
        else if (left)
            text.Append(value).Append(' ', missing);
        else if (zero && value.Length > 0 && value[0] is '-' or '+')
            text.Append(value[0]).Append('0', missing).Append(value, 1, value.Length - 1);
        else
            text.Append(zero ? '0' : ' ', missing).Append(value);
    }

    /// <summary>The text of one verb, or null when the verb does not fit the value.</summary>
    private static string? Format(char verb, object? arg, int precision, bool plus, bool space, bool sharp)
    {
        switch (verb)
        {
            case 'v':
                return arg is double d && precision >= 0 ? GFormat(d, precision) : Signed(arg, plus, space) ?? TemplateValues.Print(arg);
            case 's':
                if (arg is long or double or bool)
                    return null;
                string s = TemplateValues.Print(arg);
                return precision >= 0 && s.Length > precision ? s[..precision] : s;
            case 'q':
                return arg switch
                {
                    string q => sharp && !q.Contains('`') ? "`" + q + "`" : GoQuote.Quote(q),
                    long rune => "'" + char.ConvertFromUtf32((int)rune) + "'",
                    _ => null,
                };
            case 'd':
                return arg is long ? Signed(arg, plus, space) : null;
            case 't':
                return arg is bool b ? (b ? "true" : "false") : null;
            case 'c':
                return arg is long c ? char.ConvertFromUtf32((int)c) : null;
            case 'x' or 'X':
                string? hex = arg switch
                {
                    long l => (l < 0 ? "-" : "") + Math.Abs(l).ToString("x", CultureInfo.InvariantCulture),
                    string h => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(h)),
                    _ => null,
                };
                return verb == 'X' ? hex?.ToUpperInvariant() : hex;
            case 'f' or 'F':
                return arg is double f ? Sign(f, plus, space) + Math.Abs(f).ToString("F" + (precision < 0 ? 6 : precision), CultureInfo.InvariantCulture) : null;
            case 'e':
                return arg is double e ? Sign(e, plus, space) + Exponent(Math.Abs(e), precision < 0 ? 6 : precision) : null;
            case 'g':
                return arg is double g ? (precision < 0 ? TemplateValues.FormatFloat(g) : GFormat(g, precision)) : null;
            default:
                return null;
        }
    }

    private static string? Signed(object? arg, bool plus, bool space) => arg switch
    {
        long l => (l >= 0 ? plus ? "+" : space ? " " : "" : "") + l.ToString(CultureInfo.InvariantCulture),
        double d when plus || space => Sign(d, plus, space) + TemplateValues.FormatFloat(Math.Abs(d)),
        _ => null,
    };

    private static string Sign(double value, bool plus, bool space) => value < 0 ? "-" : plus ? "+" : space ? " " : "";

    private static string GFormat(double value, int precision) =>
        (value < 0 ? "-" : "") + GoFloat.FormatG(Math.Abs(value), Math.Max(precision, 1));

    private static string Exponent(double value, int precision)
    {
        string text = value.ToString((precision == 0 ? "0" : "0." + new string('0', precision)) + "e+00", CultureInfo.InvariantCulture);
        return text;
    }
}
