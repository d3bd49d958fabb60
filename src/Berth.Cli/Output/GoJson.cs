using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// JSON text as Go's <c>encoding/json</c> writes it, for the lines that <c>--format json</c> prints:
/// objects with sorted keys, strings escaped like Go (<c>&lt; &gt; &amp;</c> as <c>\u003c</c>…, U+2028/2029
/// escaped, other non-ASCII kept as UTF-8).
/// </summary>
internal static class GoJson
{
    /// <summary>One compact object; values are strings, or null.</summary>
    public static string Object(IEnumerable<KeyValuePair<string, string?>> fields)
    {
        var text = new StringBuilder("{");
        bool first = true;
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!first)
                text.Append(',');
            first = false;
            AppendString(text, key);
            text.Append(':');
            if (value is null)
                text.Append("null");
            else
                AppendString(text, value);
        }
        return text.Append('}').ToString();
    }

    public static string String(string value) => AppendString(new StringBuilder(), value).ToString();

    /// <param name="escapeHtml">
    /// Whether &lt; &gt; &amp; are escaped, as json.Marshal does; docker's template function "json" encodes with
    /// SetEscapeHTML(false), so a plain struct printed by <c>--format json</c> keeps them (values that marshal
    /// themselves, like ps rows, have escaped them already).
    /// </param>
    public static StringBuilder AppendString(StringBuilder text, string value, bool escapeHtml = true)
    {
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '<' or '>' or '&' when !escapeHtml:
                    text.Append(c);
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4"));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
        return text.Append('"');
    }
}
