using System.Diagnostics.CodeAnalysis;
using Berth.Common;

namespace Berth.Cli.Options;

/// <summary>
/// How docker's CLI reads an image reference (the pull query, "Unable to find image 'busybox:latest' locally", the
/// short names of its tables): the shared parser's ParseNormalizedNamed, which keeps a missing tag missing, with the
/// CLI's own error words.
/// </summary>
public static class CliReference
{
    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (ImageReference.TryParseNamed(text, out reference, out string? reason))
            return true;
        // docker names only this reason; every other is plain "invalid reference format".
        error = reason.EndsWith("must be lowercase", StringComparison.Ordinal) ? "invalid reference format: " + reason : "invalid reference format";
        return false;
    }

    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out string? error) ? reference : throw new FormatException(error);

    /// <summary>The <c>tag</c> query value of a pull: the digest, else the tag, else "latest".</summary>
    public static string ApiTag(ImageReference reference) => reference.Digest ?? reference.Tag ?? ImageReference.DefaultTag;
}
