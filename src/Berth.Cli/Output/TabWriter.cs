using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// Go's <c>text/tabwriter</c> as docker's tables use it (padding with spaces, left-aligned, no flags):
/// text is split into cells at tabs; a cell's column is as wide as the widest cell of its column block
/// (consecutive lines that have a tab-terminated cell in that column) plus <c>padding</c>, and at least
/// <c>minWidth</c>. The last cell of a line is not part of a column. Widths count characters.
/// <c>docker ps</c> and <c>docker images</c> use (10, 1, 3); <c>docker version</c> (20, 1, 1).
/// </summary>
internal sealed class TabWriter
{
    private readonly int _minWidth;
    private readonly int _padding;
    private readonly StringBuilder _text = new();

    public TabWriter(int minWidth, int padding)
    {
        _minWidth = minWidth;
        _padding = padding;
    }

    public TabWriter Write(string text)
    {
        _text.Append(text);
        return this;
    }

    /// <summary>Writes one line whose cells are separated by tabs.</summary>
    public TabWriter WriteRow(params IEnumerable<string> cells)
    {
        _text.Append(string.Join('\t', cells)).Append('\n');
        return this;
    }

    /// <summary>The aligned text.</summary>
    public override string ToString()
    {
        string text = _text.ToString();
        bool endsWithNewline = text.EndsWith('\n');
        var lines = (endsWithNewline ? text[..^1] : text).Split('\n').Select(line => line.Split('\t')).ToArray();
        var output = new StringBuilder();
        Format(output, lines, 0, lines.Length, new List<int>());
        if (endsWithNewline)
            output.Append('\n');
        return output.ToString();
    }

    /// <summary>Go's recursive <c>format</c>: lines [line0, line1) whose columns before <c>widths.Count</c> are laid out.</summary>
    private void Format(StringBuilder output, string[][] lines, int line0, int line1, List<int> widths)
    {
        int column = widths.Count;
        for (int current = line0; current < line1; current++)
        {
            if (column >= lines[current].Length - 1)
                continue;
            // A block of lines with a cell in this column starts here.
            WriteLines(output, lines, line0, current, widths);
            line0 = current;
            int width = _minWidth;
            for (; current < line1; current++)
            {
                if (column >= lines[current].Length - 1)
                    break;
                width = Math.Max(width, Width(lines[current][column]) + _padding);
            }
            widths.Add(width);
            Format(output, lines, line0, current, widths);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
        }
        WriteLines(output, lines, line0, line1, widths);
    }

    private static void WriteLines(StringBuilder output, string[][] lines, int line0, int line1, List<int> widths)
    {
        for (int i = line0; i < line1; i++)
        {
            var cells = lines[i];
            for (int j = 0; j < cells.Length; j++)
            {
                output.Append(cells[j]);
                if (j < cells.Length - 1 && j < widths.Count)
                    output.Append(' ', widths[j] - Width(cells[j]));
            }
            if (i < lines.Length - 1)
                output.Append('\n');
        }
    }

    private static int Width(string cell) => cell.EnumerateRunes().Count();
}
