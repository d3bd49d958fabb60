namespace Berth.Cli.Templates;

/// <summary>
/// A verb's placeholders, as one of docker/cli's formatter contexts declares them: each has a name (<c>.ID</c>),
/// the column header <c>table</c> prints for it ("CONTAINER ID") and how to compute it from a row. Methods with
/// arguments (<c>.Label "key"</c>) get a header function too (docker's SubHeaderContext.Label). Rows and the header
/// become <see cref="TemplateObject"/>s, so any verb plugs in by declaring its set.
/// </summary>
internal sealed class Placeholders<TRow>
{
    private readonly string _typeName;
    private readonly Func<TRow, string> _json;
    private readonly List<(string Name, int Arity, string? Header, Func<IReadOnlyList<object?>, object?>? HeaderCall, Func<TRow, IReadOnlyList<object?>, object?> Get)> _members = [];

    /// <param name="typeName">Docker's Go type, named in "can't evaluate field X in type T".</param>
    /// <param name="json">What <c>{{json .}}</c> and <c>--format json</c> print for a row.</param>
    public Placeholders(string typeName, Func<TRow, string> json)
    {
        _typeName = typeName;
        _json = json;
    }

    public Placeholders<TRow> Add(string name, string header, Func<TRow, object?> get)
    {
        _members.Add((name, 0, header, null, (row, _) => get(row)));
        return this;
    }

    public Placeholders<TRow> AddMethod(string name, int arity, Func<TRow, IReadOnlyList<object?>, object?> call, Func<IReadOnlyList<object?>, object?> header)
    {
        _members.Add((name, arity, null, header, call));
        return this;
    }

    public TemplateObject Bind(TRow row)
    {
        var members = new Dictionary<string, TemplateMember>(StringComparer.Ordinal);
        foreach (var member in _members)
            members[member.Name] = new TemplateMember(member.Arity, args => member.Get(row, args));
        return new TemplateObject(_typeName, members, () => _json(row));
    }

    /// <summary>The header row's data: each placeholder's column name (docker's SubHeaderContext map).</summary>
    public TemplateObject Header()
    {
        var members = new Dictionary<string, TemplateMember>(StringComparer.Ordinal);
        foreach (var member in _members)
        {
            var call = member.HeaderCall;
            string header = member.Header ?? "";
            members[member.Name] = new TemplateMember(member.Arity, args => call is null ? header : call(args));
        }
        return new TemplateObject("formatter.SubHeaderContext", members, () => "{}");
    }

    /// <summary>docker's SubHeaderContext.Label: the last dot-separated part of the key, '-' and '_' as spaces.</summary>
    public static object? LabelHeader(IReadOnlyList<object?> args)
    {
        string name = args[0] as string ?? throw new TemplateArgumentException($"wrong type for value; expected string; got {TemplateValues.TypeName(args[0])}");
        return name.Split('.')[^1].Replace('-', ' ').Replace('_', ' ');
    }
}
