using System.Buffers;
using System.Text;

namespace Berth.Http;

/// <summary>
/// Reads a message head (first line, header fields, blank line) from the start of a buffer, enforcing
/// <see cref="HttpLimits"/>. Lines end in CRLF; a bare LF is accepted too. Parsing restarts from the
/// beginning of the buffer on every call, which costs little because a head is at most 64 KiB.
/// </summary>
internal static class HttpHeadReader
{
    /// <summary>
    /// True when <paramref name="buffer"/> starts with a complete head; false when more bytes are needed.
    /// Throws <see cref="HttpProtocolException"/> when the head is malformed or over a limit.
    /// </summary>
    public static bool TryRead(ReadOnlySequence<byte> buffer, HttpLimits limits, out string firstLine,
        out HttpHeaders headers, out SequencePosition end, string firstLineName = "request line")
    {
        var reader = new SequenceReader<byte>(buffer);
        headers = new HttpHeaders();
        end = buffer.Start;
        SkipLeadingLineBreaks(ref reader, limits);
        if (!TryReadLine(ref reader, limits.MaxFirstLine, 414, firstLineName, out firstLine))
            return false;
        while (true)
        {
            if (reader.Consumed > limits.MaxHead)
                throw new HttpProtocolException(431, $"message head longer than {limits.MaxHead} bytes");
            if (!TryReadLine(ref reader, limits.MaxHeaderLine, 431, "header line", out string line))
            {
                if (reader.Consumed + reader.Remaining > limits.MaxHead)
                    throw new HttpProtocolException(431, $"message head longer than {limits.MaxHead} bytes");
                return false;
            }
            if (line.Length == 0)
                break;
            if (headers.Count == limits.MaxHeaderCount)
                throw new HttpProtocolException(431, $"more than {limits.MaxHeaderCount} header fields");
            AddField(headers, line);
        }
        end = reader.Position;
        return true;
    }

    /// <summary>RFC 9112 §2.2: a server ignores empty lines received before the request line.</summary>
    private static void SkipLeadingLineBreaks(ref SequenceReader<byte> reader, HttpLimits limits)
    {
        while (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            if (reader.Consumed > limits.MaxFirstLine)
                throw new HttpProtocolException(400, "too many empty lines before the request line");
    }

    /// <summary>Reads one line without its line break; false when no line break has arrived yet.</summary>
    internal static bool TryReadLine(ref SequenceReader<byte> reader, int maxLength, int status, string what, out string line)
    {
        line = "";
        if (!reader.TryReadTo(out ReadOnlySequence<byte> raw, (byte)'\n'))
        {
            if (reader.Remaining > maxLength)
                throw new HttpProtocolException(status, $"{what} longer than {maxLength} bytes");
            return false;
        }
        if (raw.Length > maxLength)
            throw new HttpProtocolException(status, $"{what} longer than {maxLength} bytes");
        line = Encoding.UTF8.GetString(raw);
        if (line.EndsWith('\r'))
            line = line[..^1];
        if (line.Contains('\r'))
            throw new HttpProtocolException(400, $"bare CR in {what}");
        return true;
    }

    private static void AddField(HttpHeaders headers, string line)
    {
        int colon = line.IndexOf(':');
        if (colon <= 0 || !HttpSyntax.IsToken(line.AsSpan(0, colon)))
            throw new HttpProtocolException(400, "malformed header line");
        string value = line[(colon + 1)..].Trim(' ', '\t');
        if (!HttpSyntax.IsFieldValue(value))
            throw new HttpProtocolException(400, $"control character in header `{line[..colon]}`");
        headers.AddParsed(line[..colon], value);
    }
}
