using System.CommandLine;
using Berth.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Options;

/// <summary>
/// docker's repeatable <c>-f/--filter key=value</c>: the key trimmed and lower-cased, the value trimmed. The
/// wire form is Berth.Api's <see cref="FilterArgs"/>, filled in sorted order so that the JSON comes out as
/// Go writes its maps: <c>{"name":{"web":true},"status":{"running":true}}</c>.
/// </summary>
public static class FilterFlags
{
    public static FilterArgs Parse(IEnumerable<string> values, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string text in values)
        {
            if (text.Length == 0)
                continue;
            int equals = text.IndexOf('=');
            if (equals < 0)
                throw new FlagValueException("bad format of filter (expected name=value)");
            pairs.Add(new(text[..equals].Trim().ToLowerInvariant(), text[(equals + 1)..].Trim()));
        }
        if (extra is not null)
            pairs.AddRange(extra);
        var filters = new FilterArgs();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            filters.Add(key, value);
        return filters;
    }

    /// <summary>
    /// A verb's <c>--filter</c> values: each checked first, so that a bad one is docker's flag error (exit 125)
    /// before any request, then in the wire form with <paramref name="extra"/> pairs (images' REPOSITORY, prune's all).
    /// </summary>
    public static FilterArgs Read(ParseResult parse, Option<string[]> option, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var values = parse.GetValue(option) ?? [];
        foreach (string value in values)
            Flags.Convert(option, value, v => { Validate(v); return 0; });
        return Parse(values, extra);
    }

    /// <summary>Checks one value as the flag is parsed, so that a bad filter is a flag error (exit 125).</summary>
    public static void Validate(string text)
    {
        if (text.Length > 0 && !text.Contains('='))
            throw new FlagValueException("bad format of filter (expected name=value)");
    }
}
