namespace Berth.Cli.Templates;

/// <summary>
/// A Go struct as a template sees it, without reflection (NativeAOT): named members (docker's formatter methods,
/// e.g. <c>.ID</c>, or <c>.Label "key"</c> with one argument), a Go type name for docker's "can't evaluate field
/// X in type T" and the text <c>{{json .}}</c> prints.
/// </summary>
internal sealed class TemplateObject
{
    private readonly IReadOnlyDictionary<string, TemplateMember> _members;
    private readonly Func<string> _json;

    public TemplateObject(string typeName, IReadOnlyDictionary<string, TemplateMember> members, Func<string> json)
    {
        TypeName = typeName;
        _members = members;
        _json = json;
    }

    public string TypeName { get; }

    public bool TryGetMember(string name, out TemplateMember member) => _members.TryGetValue(name, out member!);

    public string ToJson() => _json();
}

/// <summary>A member taking <paramref name="Arity"/> arguments (0 for a field or a method without arguments).</summary>
internal sealed record TemplateMember(int Arity, Func<IReadOnlyList<object?>, object?> Invoke);
