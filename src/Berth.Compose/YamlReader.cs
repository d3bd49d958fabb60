using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Compose;

/// <summary>
/// Reads one YAML document into <see cref="ComposeNode"/>s with YamlDotNet's parser and representation model (no
/// reflection, so NativeAOT-safe). Anchors, aliases and merge keys (<c>&lt;&lt;: *base</c>, common in compose files)
/// are resolved; non-string keys are taken by their text, as compose does.
/// </summary>
public static class YamlReader
{
    public static ComposeNode Read(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new MergingParser(new Parser(new StringReader(text))));
        }
        catch (YamlException e)
        {
            throw new ComposeFileException($"{file}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0)
            return new MapNode(file, 1);
        if (stream.Documents.Count > 1)
            throw new ComposeFileException($"{file}: expected a single YAML document, found {stream.Documents.Count}");
        return Convert(stream.Documents[0].RootNode, file);
    }

    private static ComposeNode Convert(YamlNode node, string file)
    {
        int line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new MapNode(file, line);
                foreach (var (key, child) in mapping.Children)
                {
                    string name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new ComposeFileException($"{file}:{key.Start.Line}: mapping keys must be scalars");
                    if (map.Entries.ContainsKey(name))
                        throw new ComposeFileException($"{file}:{key.Start.Line}: duplicate key `{name}`");
                    map.Entries[name] = Convert(child, file);
                }
                return map;
            case YamlSequenceNode sequence:
                var list = new ListNode(file, line);
                list.Items.AddRange(sequence.Children.Select(c => Convert(c, file)));
                return list;
            case YamlScalarNode scalar:
                bool quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
                string? value = !quoted && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value;
                return new ScalarNode(file, line, value, quoted);
            default:
                throw new ComposeFileException($"{file}:{line}: unsupported YAML node");
        }
    }
}
