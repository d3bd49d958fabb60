using System.Text;

namespace Berth.Cli.Api;

/// <summary>
/// Go's <c>url.Values.Encode</c>: parameters sorted by key, each escaped with <c>url.QueryEscape</c>
/// (space as '+', everything but letters, digits and <c>-_.~</c> percent-encoded). The docker CLI builds every
/// query this way, so "stderr=1&amp;stdout=1&amp;stream=1" comes out in that order.
/// </summary>
public sealed class QueryString
{
    private readonly SortedDictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public QueryString Set(string key, string value)
    {
        _values[key] = [value];
        return this;
    }

    /// <summary>One more value of a repeated key (save's names, commit's changes), kept in order as url.Values.Add.</summary>
    public QueryString Add(string key, string value)
    {
        if (!_values.TryGetValue(key, out var values))
            _values[key] = values = [];
        values.Add(value);
        return this;
    }

    /// <summary>Sets <paramref name="key"/>=1 when <paramref name="condition"/> holds.</summary>
    public QueryString Flag(string key, bool condition) => condition ? Set(key, "1") : this;

    /// <summary>Sets filters=JSON when there is any filter, as the docker client leaves the parameter out otherwise.</summary>
    public QueryString Filters(Berth.Api.FilterArgs filters) => filters.Names.Count > 0 ? Set("filters", filters.ToJson()) : this;

    public bool IsEmpty => _values.Count == 0;

    /// <summary>"?a=1&amp;b=2", or "" when empty.</summary>
    public override string ToString()
    {
        if (_values.Count == 0)
            return "";
        var text = new StringBuilder("?");
        foreach (var (key, values) in _values)
        {
            foreach (string value in values)
            {
                if (text.Length > 1)
                    text.Append('&');
                Escape(text, key).Append('=');
                Escape(text, value);
            }
        }
        return text.ToString();
    }

    public static string Escape(string value) => Escape(new StringBuilder(), value).ToString();

    /// <summary>A name or id in a path, escaped as Go's url.URL escapes paths (a "/" in an image name stays, as docker sends it).</summary>
    public static string EscapePath(string segment)
    {
        var text = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(segment))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '/' or '$' or '&' or '+' or ',' or ';' or '=' or ':' or '@')
                text.Append(c);
            else
                text.Append('%').Append(b.ToString("X2"));
        }
        return text.ToString();
    }

    private static StringBuilder Escape(StringBuilder text, string value)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
                text.Append(c);
            else if (c == ' ')
                text.Append('+');
            else
                text.Append('%').Append(b.ToString("X2"));
        }
        return text;
    }
}
