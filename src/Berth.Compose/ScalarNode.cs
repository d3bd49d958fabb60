namespace Berth.Compose;

/// <summary>A YAML scalar: its text (null for a plain <c>null</c>, <c>~</c> or nothing) and whether it was quoted (then never a bool or null).</summary>
public sealed class ScalarNode(string file, int line, string? value, bool quoted) : ComposeNode(file, line)
{
    public string? Value { get; } = value;

    public bool Quoted { get; } = quoted;

    public override ScalarNode Clone() => new(File, Line, Value, Quoted);

    public ScalarNode With(string? value) => new(File, Line, value, Quoted);
}
