using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Compose;

/// <summary>A node written as YAML with YamlDotNet's emitter (events, no reflection): what <c>berth compose config</c> prints.</summary>
public static class NodeYaml
{
    public static string Write(ComposeNode node)
    {
        using var text = new StringWriter();
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, ComposeNode node)
    {
        switch (node)
        {
            case MapNode map:
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, value) in map.Entries)
                {
                    emitter.Emit(new Scalar(key));
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case ListNode list:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in list.Items)
                    Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case ScalarNode { Value: null }:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case ScalarNode scalar:
                // A quoted value that would read back as something else (true, 1.0, null) keeps its quotes.
                bool ambiguous = scalar.Quoted && (scalar.Value is "true" or "false" or "yes" or "no" or "on" or "off" or "null" or "~" or ""
                                                    || double.TryParse(scalar.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
                emitter.Emit(new Scalar(null, null, scalar.Value!, ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, !ambiguous, ambiguous));
                break;
        }
    }
}
