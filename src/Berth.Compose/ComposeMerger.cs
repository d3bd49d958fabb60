namespace Berth.Compose;

/// <summary>
/// The Compose Specification's merge of an override onto a base (several <c>-f</c> files, and <c>extends</c>):
/// mappings merge key by key, scalars are replaced, sequences are appended without duplicates, except that
/// <c>command</c>, <c>entrypoint</c> and <c>healthcheck.test</c> are replaced whole, and <c>volumes</c> of a service
/// replace the base's entry with the same target.
/// </summary>
public static class ComposeMerger
{
    private static readonly HashSet<string> Replaced = new(StringComparer.Ordinal) { "command", "entrypoint", "test", "profiles" };

    public static ComposeNode Merge(ComposeNode? baseNode, ComposeNode overrideNode, string key = "")
    {
        if (baseNode is MapNode baseMap && overrideNode is MapNode overrideMap)
        {
            var result = baseMap.Clone();
            foreach (var (name, value) in overrideMap.Entries)
                result.Entries[name] = result.Entries.TryGetValue(name, out var existing) ? Merge(existing, value, name) : value.Clone();
            return result;
        }
        if (baseNode is ListNode baseList && overrideNode is ListNode overrideList && !Replaced.Contains(key))
        {
            var result = baseList.Clone();
            foreach (var item in overrideList.Items)
            {
                string? target = key == "volumes" ? TargetOf(item) : null;
                int same = target is null ? -1 : result.Items.FindIndex(i => TargetOf(i) == target);
                if (same >= 0)
                    result.Items[same] = item.Clone();
                else if (!result.Items.Any(i => SameScalar(i, item)))
                    result.Items.Add(item.Clone());
            }
            return result;
        }
        return overrideNode.Clone();
    }

    private static bool SameScalar(ComposeNode a, ComposeNode b) => a is ScalarNode x && b is ScalarNode y && x.Value == y.Value;

    /// <summary>A volume's or port's container side: <c>target</c> of the long form, or the part after the source in the short form.</summary>
    private static string? TargetOf(ComposeNode item) => item switch
    {
        MapNode map => (map["target"] as ScalarNode)?.Value,
        ScalarNode { Value: { } text } => text.Split(':') switch
        {
            [var only] => only,
            [_, var target] => target,
            [_, var target, var mode] when mode is "ro" or "rw" or "z" or "Z" || mode.Contains(',') || mode.Contains("ro") || mode.Contains("rw") => target,
            [.., var last] => last,
            [] => null,
        },
        _ => null,
    };
}
