using System.Buffers;

namespace Berth.Http;

/// <summary>Character classes of RFC 9110 and 9112.</summary>
internal static class HttpSyntax
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsToken(ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExcept(TokenChars);

    /// <summary>A field value: visible characters, spaces, tabs and obs-text; no other control character.</summary>
    public static bool IsFieldValue(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return false;
        return true;
    }

    /// <summary>A request target in origin form: starts with '/', visible ASCII only.</summary>
    public static bool IsOriginForm(ReadOnlySpan<char> s)
    {
        if (s.Length == 0 || s[0] != '/')
            return false;
        foreach (char c in s)
            if (c <= 0x20 || c >= 0x7f)
                return false;
        return true;
    }
}
