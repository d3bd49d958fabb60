namespace Berth.Cli.Output;

/// <summary>docker/cli formatter <c>Ellipsis</c>: cuts text to a display width, ending it with "…". Every character counts as width 1.</summary>
internal static class TextEllipsis
{
    public static string Truncate(string text, int maxWidth)
    {
        if (maxWidth <= 0)
            return "";
        var runes = text.EnumerateRunes().ToArray();
        if (maxWidth == 1)
            return runes.Length == 0 ? "" : runes[0].ToString();
        if (runes.Length <= maxWidth)
            return text;
        return string.Concat(runes.Take(maxWidth - 1).Select(r => r.ToString())) + "…";
    }
}
