using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Daemon;

/// <summary>
/// The value of <c>--max-image-unpacked-size</c>: a whole number of bytes with an optional binary unit (k, m, g, t,
/// optionally followed by "b" or "ib"), e.g. <c>20g</c>. Deliberately narrower than the CLI's go-units parser
/// (no fractions, no spaces): an operator's limit should read unambiguously.
/// </summary>
internal static partial class UnpackedSizeOption
{
    public static long? Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParse(text, out long bytes))
            return bytes;
        result.AddError($"invalid size `{text}` for --max-image-unpacked-size: a number of bytes with an optional unit k, m, g or t, e.g. 20g");
        return null;
    }

    internal static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = Size().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            return false;
        int shift = match.Groups[2].Value switch { "k" or "K" => 10, "m" or "M" => 20, "g" or "G" => 30, "t" or "T" => 40, _ => 0 };
        if (number <= 0 || number > long.MaxValue >> shift)
            return false;
        bytes = number << shift;
        return true;
    }

    [GeneratedRegex("^([0-9]+)(?:([kmgtKMGT])(?:[iI]?[bB])?|[bB])?$")]
    private static partial Regex Size();
}
