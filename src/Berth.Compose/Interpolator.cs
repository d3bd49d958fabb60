using System.Text;

namespace Berth.Compose;

/// <summary>
/// The Compose Specification's interpolation of scalar values: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>
/// (unset or empty), <c>${VAR-default}</c> (unset), <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+alt}</c>,
/// <c>${VAR+alt}</c>, defaults themselves interpolated, and <c>$$</c> for a literal dollar. Keys are not interpolated.
/// </summary>
public sealed class Interpolator(IReadOnlyDictionary<string, string> variables)
{
    /// <summary>Names that were used but not set (compose warns "The X variable is not set. Defaulting to a blank string.").</summary>
    public SortedSet<string> Unset { get; } = new(StringComparer.Ordinal);

    public ComposeNode Apply(ComposeNode node) => node switch
    {
        ScalarNode { Value: { } text } scalar when text.Contains('$') => scalar.With(Expand(text, scalar)),
        MapNode map => Map(map),
        ListNode list => List(list),
        _ => node,
    };

    private MapNode Map(MapNode map)
    {
        var copy = new MapNode(map.File, map.Line);
        foreach (var (key, value) in map.Entries)
            copy.Entries[key] = Apply(value);
        return copy;
    }

    private ListNode List(ListNode list)
    {
        var copy = new ListNode(list.File, list.Line);
        copy.Items.AddRange(list.Items.Select(Apply));
        return copy;
    }

    public string Expand(string text, ComposeNode at)
    {
        var output = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                output.Append(c);
                i++;
                continue;
            }
            char next = text[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i += 2;
            }
            else if (next == '{')
            {
                int end = ClosingBrace(text, i + 2) ?? throw new ComposeFileException(at, $"invalid interpolation format for \"{text}\": missing closing brace");
                output.Append(Braced(text[(i + 2)..end], text, at));
                i = end + 1;
            }
            else if (IsNameStart(next))
            {
                int end = i + 1;
                while (end < text.Length && IsNamePart(text[end]))
                    end++;
                output.Append(Lookup(text[(i + 1)..end]) ?? "");
                i = end;
            }
            else
            {
                throw new ComposeFileException(at, $"invalid interpolation format for \"{text}\": a `$` must be followed by a name, `{{` or `$` (write `$$` for a literal dollar)");
            }
        }
        return output.ToString();
    }

    private string Braced(string inner, string whole, ComposeNode at)
    {
        int n = 0;
        while (n < inner.Length && IsNamePart(inner[n]))
            n++;
        string name = inner[..n];
        if (name.Length == 0 || !IsNameStart(name[0]))
            throw new ComposeFileException(at, $"invalid interpolation format for \"{whole}\": bad variable name in ${{{inner}}}");
        string? value = Lookup(name);
        if (n == inner.Length)
            return value ?? "";
        string rest = inner[n..];
        bool colon = rest[0] == ':';
        string op = colon ? rest[..Math.Min(2, rest.Length)] : rest[..1];
        string argument = rest[op.Length..];
        bool missing = colon ? string.IsNullOrEmpty(value) : value is null;
        switch (op)
        {
            case ":-" or "-":
                return missing ? Expand(argument, at) : value!;
            case ":+" or "+":
                return missing ? "" : Expand(argument, at);
            case ":?" or "?":
                if (missing)
                    throw new ComposeFileException(at, $"required variable {name} is missing a value: {Expand(argument, at)}");
                return value!;
            default:
                throw new ComposeFileException(at, $"invalid interpolation format for \"{whole}\": unknown operator in ${{{inner}}}");
        }
    }

    private string? Lookup(string name)
    {
        if (variables.TryGetValue(name, out string? value))
            return value;
        Unset.Add(name);
        return null;
    }

    /// <summary>The index of the brace closing the one opened before <paramref name="start"/>, counting nested <c>${</c>.</summary>
    private static int? ClosingBrace(string text, int start)
    {
        int depth = 1;
        for (int i = start; i < text.Length; i++)
        {
            if (text[i] == '{')
                depth++;
            else if (text[i] == '}' && --depth == 0)
                return i;
        }
        return null;
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsNamePart(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);
}
