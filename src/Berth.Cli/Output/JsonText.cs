using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// Go's <c>json.Indent</c> and <c>json.Compact</c>: re-lay a JSON text without touching its tokens
/// (strings and numbers are copied byte for byte), as <c>docker inspect</c> prints the daemon's raw answers.
/// The input must be valid JSON.
/// </summary>
internal static class JsonText
{
    /// <summary><c>json.Indent(dst, src, "", indent)</c>: one value per line, <c>": "</c> after keys, empty <c>[]</c> and <c>{}</c> kept.</summary>
    public static string Indent(ReadOnlySpan<byte> json, string indent = "    ") => Relayout(json, indent);

    /// <summary><c>json.Compact</c>: insignificant whitespace removed.</summary>
    public static string Compact(ReadOnlySpan<byte> json) => Relayout(json, null);

    private static string Relayout(ReadOnlySpan<byte> json, string? indent)
    {
        var output = new List<byte>(json.Length + json.Length / 4);
        int depth = 0;
        bool needNewline = false; // an opening bracket was written; its newline waits to see whether the value is empty
        for (int i = 0; i < json.Length; i++)
        {
            byte c = json[i];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                continue;
            if (needNewline && c is not ((byte)']' or (byte)'}'))
            {
                NewLine(output, indent, depth);
                needNewline = false;
            }
            switch (c)
            {
                case (byte)'"':
                    int end = StringEnd(json, i);
                    output.AddRange(json[i..end]);
                    i = end - 1;
                    break;
                case (byte)'{' or (byte)'[':
                    output.Add(c);
                    depth++;
                    needNewline = indent is not null;
                    break;
                case (byte)'}' or (byte)']':
                    depth--;
                    if (needNewline)
                        needNewline = false;
                    else
                        NewLine(output, indent, depth);
                    output.Add(c);
                    break;
                case (byte)',':
                    output.Add(c);
                    NewLine(output, indent, depth);
                    break;
                case (byte)':':
                    output.Add(c);
                    if (indent is not null)
                        output.Add((byte)' ');
                    break;
                default:
                    output.Add(c);
                    break;
            }
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static void NewLine(List<byte> output, string? indent, int depth)
    {
        if (indent is null)
            return;
        output.Add((byte)'\n');
        for (int i = 0; i < depth; i++)
            output.AddRange(Encoding.UTF8.GetBytes(indent));
    }

    /// <summary>The index just past the string that starts at <paramref name="start"/>.</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int start)
    {
        for (int i = start + 1; i < json.Length; i++)
        {
            if (json[i] == (byte)'\\')
                i++;
            else if (json[i] == (byte)'"')
                return i + 1;
        }
        throw new FormatException("unterminated JSON string");
    }
}
