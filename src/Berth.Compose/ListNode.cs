namespace Berth.Compose;

/// <summary>A YAML sequence.</summary>
public sealed class ListNode(string file, int line) : ComposeNode(file, line)
{
    public List<ComposeNode> Items { get; } = [];

    public override ListNode Clone()
    {
        var copy = new ListNode(File, Line);
        copy.Items.AddRange(Items.Select(i => i.Clone()));
        return copy;
    }
}
