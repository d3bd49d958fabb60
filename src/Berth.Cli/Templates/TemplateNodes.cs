namespace Berth.Cli.Templates;

// The parse tree of a Go text/template, as text/template/parse names its nodes. Pos is the byte offset of the node
// in the template text (for docker's "template: :LINE:COL: executing ..." errors); ToString is Go's Node.String.

internal abstract record TemplateNode(int Pos);

internal sealed record TextNode(int Pos, string Text) : TemplateNode(Pos)
{
    public override string ToString() => Text;
}

internal sealed record ListNode(int Pos, List<TemplateNode> Nodes) : TemplateNode(Pos)
{
    public override string ToString() => string.Concat(Nodes);
}

internal sealed record ActionNode(int Pos, PipeNode Pipe) : TemplateNode(Pos)
{
    public override string ToString() => "{{" + Pipe + "}}";
}

/// <summary>if, range and with: the same shape, as in Go's BranchNode.</summary>
internal sealed record BranchNode(int Pos, string Keyword, PipeNode Pipe, ListNode List, ListNode? ElseList) : TemplateNode(Pos)
{
    public override string ToString() =>
        $"{{{{{Keyword} {Pipe}}}}}{List}" + (ElseList is null ? "" : "{{else}}" + ElseList) + "{{end}}";
}

internal sealed record BreakNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "{{break}}";
}

internal sealed record ContinueNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "{{continue}}";
}

internal sealed record PipeNode(int Pos, List<string> Variables, bool IsAssign, List<CommandNode> Commands) : TemplateNode(Pos)
{
    public override string ToString()
    {
        string declaration = Variables.Count == 0 ? "" : string.Join(", ", Variables) + (IsAssign ? " = " : " := ");
        return declaration + string.Join(" | ", Commands);
    }
}

internal sealed record CommandNode(int Pos, List<TemplateNode> Args) : TemplateNode(Pos)
{
    public override string ToString() => string.Join(" ", Args.Select(a => a is PipeNode ? "(" + a + ")" : a.ToString()));
}

internal sealed record DotNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => ".";
}

internal sealed record NilNode(int Pos) : TemplateNode(Pos)
{
    public override string ToString() => "nil";
}

/// <summary>.A.B.C</summary>
internal sealed record FieldNode(int Pos, string[] Idents) : TemplateNode(Pos)
{
    public override string ToString() => string.Concat(Idents.Select(i => "." + i));
}

/// <summary>$x.A.B: Idents[0] is the variable's name with its $.</summary>
internal sealed record VariableNode(int Pos, string[] Idents) : TemplateNode(Pos)
{
    public override string ToString() => string.Join(".", Idents);
}

/// <summary>(pipeline).A.B</summary>
internal sealed record ChainNode(int Pos, TemplateNode Node, string[] Fields) : TemplateNode(Pos)
{
    public override string ToString() =>
        (Node is PipeNode ? "(" + Node + ")" : Node.ToString()) + string.Concat(Fields.Select(f => "." + f));
}

/// <summary>A function name.</summary>
internal sealed record IdentifierNode(int Pos, string Name) : TemplateNode(Pos)
{
    public override string ToString() => Name;
}

internal sealed record LiteralNode(int Pos, object? Value, string Text) : TemplateNode(Pos)
{
    public override string ToString() => Text;
}
