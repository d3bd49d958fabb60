using System.Text;

namespace Berth.Http;

/// <summary>Decodes %XX escapes (as UTF-8) in paths and query strings.</summary>
internal static class PercentEncoding
{
    /// <summary>
    /// Decodes <paramref name="text"/>, which is ASCII (a request target checked by the parser); <paramref name="plusIsSpace"/> turns '+' into ' ' (query strings only).
    /// Throws <see cref="HttpProtocolException"/> (400) on a malformed escape.
    /// </summary>
    public static string Decode(string text, bool plusIsSpace)
    {
        if (!text.Contains('%') && !(plusIsSpace && text.Contains('+')))
            return text;
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%')
            {
                bytes.Add(DecodeEscape(text, i));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
                bytes.Add((byte)' ');
            else
                bytes.Add((byte)c);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static byte DecodeEscape(string text, int index)
    {
        if (index + 2 >= text.Length || !char.IsAsciiHexDigit(text[index + 1]) || !char.IsAsciiHexDigit(text[index + 2]))
            throw new HttpProtocolException(400, $"malformed percent-escape in `{text}`");
        return (byte)Convert.ToInt32(text.Substring(index + 1, 2), 16);
    }
}
