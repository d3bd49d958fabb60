using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Cli.Output;

namespace Berth.Cli.Templates;

/// <summary>
/// The values a template works on, as Go's reflection would see them after docker decoded them: null (nil),
/// <see cref="NoValue"/>, string, bool, long (int), double (float64), lists, <see cref="JsonElement"/> objects and
/// arrays (map[string]interface{} and []interface{}), and <see cref="TemplateObject"/>s. JSON scalars are turned
/// into the .NET ones by <see cref="Normalize"/>.
/// </summary>
internal static class TemplateValues
{
    private static readonly JsonWriterOptions CompactRelaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static object? Normalize(object? value) => value is JsonElement element ? element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long integer) ? (object)integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element,
    } : value is int i ? (long)i : value;

    /// <summary>The Go type in error messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        NoValue => "<no value>",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        JsonElement { ValueKind: JsonValueKind.Object } => "map[string]interface {}",
        JsonElement => "[]interface {}",
        IReadOnlyList<object?> => "[]string",
        TemplateObject o => o.TypeName,
        _ => value.GetType().Name,
    };

    /// <summary>Go's template truth: the zero value, nil and empty collections are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null or NoValue => false,
        string s => s.Length > 0,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        JsonElement { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().Any(),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.GetArrayLength() > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>The items a <c>range</c> walks: (key or index, value); maps in sorted key order, as Go does.</summary>
    public static IEnumerable<(object? Key, object? Value)>? Items(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } e =>
            e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => ((object?)p.Name, Normalize(p.Value))),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select((v, i) => ((object?)(long)i, Normalize(v))),
        IReadOnlyList<object?> list => list.Select((v, i) => ((object?)(long)i, v)),
        long count => LongRange(count),
        null or NoValue => [],
        _ => null,
    };

    private static IEnumerable<(object?, object?)> LongRange(long count)
    {
        for (long i = 0; i < count; i++)
            yield return (i, i);
    }

    /// <summary>fmt's %v.</summary>
    public static string Print(object? value)
    {
        var text = new StringBuilder();
        AppendPrint(text, value);
        return text.ToString();
    }

    public static void AppendPrint(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("<nil>");
                break;
            case string s:
                text.Append(s);
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case long l:
                text.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                text.Append(FormatFloat(d));
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } e:
                text.Append("map[");
                bool first = true;
                foreach (var property in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                        text.Append(' ');
                    first = false;
                    text.Append(property.Name).Append(':');
                    AppendPrint(text, Normalize(property.Value));
                }
                text.Append(']');
                break;
            case JsonElement e:
                AppendList(text, e.EnumerateArray().Select(v => Normalize(v)));
                break;
            case IReadOnlyList<object?> list:
                AppendList(text, list);
                break;
            case TemplateObject o:
                text.Append(o.ToJson());
                break;
            default:
                text.Append(value);
                break;
        }
    }

    private static void AppendList(StringBuilder text, IEnumerable<object?> items)
    {
        text.Append('[');
        bool first = true;
        foreach (var item in items)
        {
            if (!first)
                text.Append(' ');
            first = false;
            AppendPrint(text, item);
        }
        text.Append(']');
    }

    /// <summary>%v of a float64: the shortest digits, in exponent form when the exponent is below -4 or at least 6
    /// (strconv's 'g' with the shortest precision: 1e+06, 123456).</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "+Inf" : "-Inf";
        if (value == 0)
            return "0";
        // Shortest round-trip digits and the decimal exponent.
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int ePos = shortest.IndexOfAny(['E', 'e']);
        string mantissa = ePos < 0 ? shortest : shortest[..ePos];
        int exponent = ePos < 0 ? 0 : int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture);
        string sign = mantissa.StartsWith('-') ? "-" : "";
        mantissa = mantissa.TrimStart('-');
        int point = mantissa.IndexOf('.');
        string digits = mantissa.Replace(".", "");
        int intDigits = point < 0 ? mantissa.Length : point;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        int decimalExponent = intDigits - leadingZeros - 1 + exponent;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
            return "0";
        if (decimalExponent < -4 || decimalExponent >= 6)
        {
            string fraction = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{fraction}e{(decimalExponent < 0 ? '-' : '+')}{Math.Abs(decimalExponent):00}";
        }
        if (decimalExponent < 0)
            return sign + "0." + new string('0', -decimalExponent - 1) + digits;
        if (digits.Length <= decimalExponent + 1)
            return sign + digits + new string('0', decimalExponent + 1 - digits.Length);
        return sign + digits[..(decimalExponent + 1)] + "." + digits[(decimalExponent + 1)..];
    }

    /// <summary>
    /// docker's "json" function: encoding/json without HTML escaping. Objects keep the daemon's key order (docker
    /// marshals its typed structs, whose order the daemon's JSON follows); formatter rows marshal themselves.
    /// </summary>
    public static string Json(object? value)
    {
        switch (value)
        {
            case null or NoValue:
                return "null";
            case string s:
                return GoJson.AppendString(new StringBuilder(), s, escapeHtml: false).ToString();
            case bool or long or double:
                return Print(value);
            case TemplateObject o:
                return o.ToJson();
            case JsonElement e:
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, CompactRelaxed))
                    e.WriteTo(writer);
                return Encoding.UTF8.GetString(buffer.WrittenSpan);
            case IReadOnlyList<object?> list:
                return "[" + string.Join(",", list.Select(Json)) + "]";
            default:
                return GoJson.String(value.ToString() ?? "");
        }
    }
}
