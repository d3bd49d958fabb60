namespace Berth.Cli.Templates;

/// <summary>
/// A template that does not parse or fails while it runs, worded as Go's text/template words it:
/// "template: :1: function \"foo\" not defined" and "template: :1:2: executing \"\" at &lt;.Foo&gt;: can't evaluate
/// field Foo in type ...". Docker prefixes both with "template parsing error: ".
/// </summary>
internal sealed class TemplateException : Exception
{
    private TemplateException(string message) : base(message)
    {
    }

    public static TemplateException Parse(string name, string text, int pos, string message) =>
        new($"template: {name}:{Line(text, pos)}: {message}");

    /// <summary>Go's ErrorContext: the line, the byte offset in that line, and the node's text cut at 20 characters.</summary>
    public static TemplateException Execute(string name, string text, TemplateNode node, string message)
    {
        int pos = Math.Min(node.Pos, text.Length);
        int newline = text.LastIndexOf('\n', Math.Max(pos - 1, 0), pos);
        int column = newline < 0 ? pos : pos - newline - 1;
        string context = node.ToString() ?? "";
        if (context.Length > 20)
            context = context[..20] + "...";
        return new($"template: {name}:{Line(text, pos)}:{column}: executing \"{name}\" at <{context}>: {message}");
    }

    private static int Line(string text, int pos) => 1 + text.AsSpan(0, Math.Min(pos, text.Length)).Count('\n');
}
