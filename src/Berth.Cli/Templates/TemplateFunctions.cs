using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Templates;

/// <summary>
/// The functions a docker template can call: Go's builtins (and, or, not, len, index, slice, print, printf, println,
/// eq, ne, lt, le, gt, ge, html, urlquery) and docker's (json, split, join, title, lower, upper, pad, truncate;
/// docker/cli templates/templates.go). For table headers docker swaps json, split, join, title, lower, upper and
/// truncate for functions that hand the header text back unchanged (<see cref="ForHeader"/>).
/// </summary>
internal sealed class TemplateFunctions
{
    public static readonly TemplateFunctions Standard = new(header: false);
    public static readonly TemplateFunctions ForHeader = new(header: true);

    private readonly Dictionary<string, TemplateFunction> _functions;

    private TemplateFunctions(bool header)
    {
        _functions = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal)
        {
            ["and"] = new(1, -1, _ => throw new InvalidOperationException("and is evaluated lazily")),
            ["or"] = new(1, -1, _ => throw new InvalidOperationException("or is evaluated lazily")),
            ["not"] = new(1, 1, a => !TemplateValues.IsTrue(a[0])),
            ["len"] = new(1, 1, a => Length(a[0])),
            ["index"] = new(1, -1, a => Index(a[0], a.Skip(1))),
            ["slice"] = new(1, 4, a => Slice(a[0], a.Skip(1).ToList())),
            ["print"] = new(0, -1, GoFmt.Sprint),
            ["println"] = new(0, -1, GoFmt.Sprintln),
            ["printf"] = new(1, -1, a => GoFmt.Sprintf(Text(a[0]), a.Skip(1).ToList())),
            ["eq"] = new(1, -1, a => a.Skip(1).Any(b => Equal(a[0], b)) || (a.Count == 1 ? throw new TemplateCallException("missing argument for comparison") : false)),
            ["ne"] = new(2, 2, a => !Equal(a[0], a[1])),
            ["lt"] = new(2, 2, a => Compare(a[0], a[1]) < 0),
            ["le"] = new(2, 2, a => Compare(a[0], a[1]) <= 0),
            ["gt"] = new(2, 2, a => Compare(a[0], a[1]) > 0),
            ["ge"] = new(2, 2, a => Compare(a[0], a[1]) >= 0),
            ["html"] = new(0, -1, a => WebUtility.HtmlEncode(GoFmt.Sprint(a))),
            ["urlquery"] = new(0, -1, a => Uri.EscapeDataString(GoFmt.Sprint(a)).Replace("%20", "+")),
            ["pad"] = new(3, 3, a => Pad(Text(a[0]), Int(a[1]), Int(a[2]))),
        };
        if (header)
        {
            foreach (string name in new[] { "json", "title", "lower", "upper" })
                _functions[name] = new(1, 1, a => Text(a[0]));
            foreach (string name in new[] { "split", "join" })
                _functions[name] = new(2, 2, a => Text(a[0]));
            _functions["truncate"] = new(2, 2, a => Text(a[0]));
            return;
        }
        _functions["json"] = new(1, 1, a => TemplateValues.Json(a[0]));
        _functions["split"] = new(2, 2, a => Split(Text(a[0]), Text(a[1])));
        _functions["join"] = new(2, 2, a => Join(a[0], Text(a[1])));
        _functions["title"] = new(1, 1, a => Title(Text(a[0])));
        _functions["lower"] = new(1, 1, a => Text(a[0]).ToLowerInvariant());
        _functions["upper"] = new(1, 1, a => Text(a[0]).ToUpperInvariant());
        _functions["truncate"] = new(2, 2, a => Truncate(Text(a[0]), Int(a[1])));
    }

    public bool Contains(string name) => _functions.ContainsKey(name);

    public TemplateFunction Get(string name) => _functions[name];

    private static string Text(object? value) => value as string
        ?? throw new TemplateArgumentException($"wrong type for value; expected string; got {TemplateValues.TypeName(value)}");

    private static int Int(object? value) => value is long l
        ? (int)Math.Clamp(l, int.MinValue, int.MaxValue)
        : throw new TemplateArgumentException($"wrong type for value; expected int; got {TemplateValues.TypeName(value)}");

    private static long Length(object? value) => value switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        JsonElement { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().Count(),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.GetArrayLength(),
        IReadOnlyList<object?> list => list.Count,
        _ => throw new TemplateCallException($"len of type {TemplateValues.TypeName(value)}"),
    };

    private static object? Index(object? item, IEnumerable<object?> indexes)
    {
        foreach (var index in indexes)
        {
            item = item switch
            {
                null or NoValue => throw new TemplateCallException("index of untyped nil"),
                JsonElement { ValueKind: JsonValueKind.Object } e => index is string key
                    ? e.TryGetProperty(key, out var found) ? TemplateValues.Normalize(found) : MissingIn(e)
                    : throw new TemplateCallException($"value has type {TemplateValues.TypeName(index)}; should be string"),
                JsonElement { ValueKind: JsonValueKind.Array } e => TemplateValues.Normalize(e[Position(index, e.GetArrayLength())]),
                IReadOnlyList<object?> list => list[Position(index, list.Count)],
                string s => (long)Encoding.UTF8.GetBytes(s)[Position(index, Encoding.UTF8.GetByteCount(s))],
                _ => throw new TemplateCallException($"can't index item of type {TemplateValues.TypeName(item)}"),
            };
        }
        return item;
    }

    /// <summary>
    /// What index answers for a key a map lacks: Go's zero value of the map's element type. Docker evaluates inspect
    /// templates on its typed structs first, where the maps people index (Labels, Options) are map[string]string,
    /// so a map whose values are all strings answers "", any other map nil.
    /// </summary>
    private static object? MissingIn(JsonElement map) =>
        map.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String) ? "" : null;

    private static int Position(object? index, int length) => index switch
    {
        long i when i >= 0 && i < length => (int)i,
        long i => throw new TemplateCallException($"index out of range: {i}"),
        _ => throw new TemplateCallException($"cannot index slice/array with type {TemplateValues.TypeName(index)}"),
    };

    private static object? Slice(object? item, List<object?> indexes)
    {
        int length = item switch
        {
            string s => s.Length,
            IReadOnlyList<object?> list => list.Count,
            JsonElement { ValueKind: JsonValueKind.Array } e => e.GetArrayLength(),
            _ => throw new TemplateCallException($"can't slice item of type {TemplateValues.TypeName(item)}"),
        };
        if (indexes.Count > 2)
            throw new TemplateCallException("cannot 3-index slice a string");
        int from = indexes.Count > 0 ? Bound(indexes[0], length) : 0;
        int to = indexes.Count > 1 ? Bound(indexes[1], length) : length;
        if (from > to)
            throw new TemplateCallException($"invalid slice index: {from} > {to}");
        return item switch
        {
            string s => s[from..to],
            IReadOnlyList<object?> list => list.Skip(from).Take(to - from).ToList(),
            JsonElement e => e.EnumerateArray().Skip(from).Take(to - from).Select(v => TemplateValues.Normalize(v)).ToList(),
            _ => null,
        };
    }

    private static int Bound(object? index, int length) => index is long i && i >= 0 && i <= length
        ? (int)i
        : throw new TemplateCallException($"index out of range: {TemplateValues.Print(index)}");

    private static bool IsBasic(object? value) => value is null or string or bool or long or double;

    private static bool Equal(object? a, object? b)
    {
        if (!IsBasic(a) || !IsBasic(b))
            throw new TemplateCallException("non-comparable type " + TemplateValues.Print(IsBasic(a) ? b : a) + ": " + TemplateValues.TypeName(IsBasic(a) ? b : a));
        if (a is null || b is null)
            return a is null && b is null;
        if (a.GetType() != b.GetType())
            throw new TemplateCallException("incompatible types for comparison");
        return a.Equals(b);
    }

    private static int Compare(object? a, object? b)
    {
        if (a is bool || b is bool || !IsBasic(a) || !IsBasic(b) || a is null || b is null)
            throw new TemplateCallException("invalid type for comparison");
        if (a.GetType() != b.GetType())
            throw new TemplateCallException("incompatible types for comparison");
        return a switch
        {
            string s => string.CompareOrdinal(s, (string)b),
            long l => l.CompareTo((long)b),
            _ => ((double)a).CompareTo((double)b),
        };
    }

    private static List<object?> Split(string text, string separator) => separator.Length == 0
        ? text.EnumerateRunes().Select(r => (object?)r.ToString()).ToList()
        : text.Split(separator).Select(s => (object?)s).ToList();

    /// <summary>docker's joinElements: a list joined with fmt.Sprint of each item; a map's values sorted.</summary>
    private static string Join(object? elements, string separator) => elements switch
    {
        null => "",
        IReadOnlyList<object?> list => string.Join(separator, list.Select(TemplateValues.Print)),
        JsonElement { ValueKind: JsonValueKind.Array } e => string.Join(separator, e.EnumerateArray().Select(v => TemplateValues.Print(TemplateValues.Normalize(v)))),
        JsonElement { ValueKind: JsonValueKind.Object } e =>
            string.Join(separator, e.EnumerateObject().Select(p => TemplateValues.Print(TemplateValues.Normalize(p.Value))).Order(StringComparer.Ordinal)),
        _ => throw new TemplateCallException($"expected slice, got {TemplateValues.TypeName(elements)}"),
    };

    /// <summary>strings.Title: the first letter of every word upper-cased; letters, digits and _ make up words.</summary>
    private static string Title(string text)
    {
        var result = new StringBuilder(text.Length);
        bool start = true;
        foreach (char c in text)
        {
            result.Append(start ? char.ToUpperInvariant(c) : c);
            start = !(char.IsLetterOrDigit(c) || c == '_');
        }
        return result.ToString();
    }

    private static string Pad(string text, int prefix, int suffix) =>
        text.Length == 0 ? text : new string(' ', Math.Max(prefix, 0)) + text + new string(' ', Math.Max(suffix, 0));

    private static string Truncate(string text, int length) => text.Length < length ? text : text[..Math.Max(length, 0)];

    internal static string Describe(int min, int max) =>
        max < 0 ? $"at least {min.ToString(CultureInfo.InvariantCulture)}" : min.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A function: its argument count (Max -1 for variadic) and body.</summary>
internal sealed record TemplateFunction(int Min, int Max, Func<IReadOnlyList<object?>, object?> Invoke);

/// <summary>A function failed: Go says "error calling NAME: MESSAGE".</summary>
internal sealed class TemplateCallException(string message) : Exception(message);

/// <summary>An argument of the wrong type: Go says it without "error calling".</summary>
internal sealed class TemplateArgumentException(string message) : Exception(message);
