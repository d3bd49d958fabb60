namespace Berth.Compose;

/// <summary>A YAML mapping with string keys, in file order (compose keeps service order for `config`).</summary>
public sealed class MapNode(string file, int line) : ComposeNode(file, line)
{
    public OrderedDictionary<string, ComposeNode> Entries { get; } = new(StringComparer.Ordinal);

    public ComposeNode? this[string key] => Entries.TryGetValue(key, out var value) ? value : null;

    public override MapNode Clone()
    {
        var copy = new MapNode(File, Line);
        foreach (var (key, value) in Entries)
            copy.Entries[key] = value.Clone();
        return copy;
    }
}
