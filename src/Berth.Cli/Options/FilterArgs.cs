using System.Text;
using Berth.Cli.Output;

namespace Berth.Cli.Options;

/// <summary>
/// docker's <c>-f/--filter key=value</c> (repeatable) and its wire form, the <c>filters</c> query value
/// <c>{"key":{"value":true}}</c> with keys sorted as Go's encoder writes maps.
/// </summary>
public sealed class FilterArgs
{
    private readonly SortedDictionary<string, SortedSet<string>> _filters = new(StringComparer.Ordinal);

    public int Count => _filters.Count;

    /// <summary>Adds "key=value": the key trimmed and lower-cased, the value trimmed; an empty text is ignored.</summary>
    public void Add(string text)
    {
        if (text.Length == 0)
            return;
        int equals = text.IndexOf('=');
        if (equals < 0)
            throw new FlagValueException("bad format of filter (expected name=value)");
        Add(text[..equals].Trim().ToLowerInvariant(), text[(equals + 1)..].Trim());
    }

    public void Add(string key, string value)
    {
        if (!_filters.TryGetValue(key, out var values))
            _filters[key] = values = new SortedSet<string>(StringComparer.Ordinal);
        values.Add(value);
    }

    public string ToJson()
    {
        var text = new StringBuilder("{");
        foreach (var (key, values) in _filters)
        {
            if (text.Length > 1)
                text.Append(',');
            GoJson.AppendString(text, key).Append(":{");
            text.AppendJoin(',', values.Select(v => GoJson.String(v) + ":true"));
            text.Append('}');
        }
        return text.Append('}').ToString();
    }
}
