using System.Buffers;

namespace Berth.Engine.Logs;

/// <summary>
/// The <c>local</c> driver's compact binary record: one flags byte (the stream id, plus 4 when the line ended with a
/// newline), the entry's time as .NET ticks in nine bytes of seven bits each (high bit set), the line's bytes without
/// its newline, then a newline. No byte of the header is a newline and the line holds none (the writer cuts entries at
/// newlines), so a record is found by newlines like json-file's and shares its reader. A 2-byte line costs 12 bytes
/// (json-file: 72; moby's protobuf-framed local entries: about 30). Not byte-compatible with moby's files, which only
/// dockerd reads anyway.
/// </summary>
public sealed class LocalLogRecordFormat : ILogRecordFormat
{
    private const int HeaderBytes = 10;
    private const byte EndsWithNewline = 4;

    public void Encode(ArrayBufferWriter<byte> output, LogStream stream, ReadOnlySpan<byte> line, DateTime utc)
    {
        bool newline = !line.IsEmpty && line[^1] == (byte)'\n';
        if (newline)
            line = line[..^1];
        var span = output.GetSpan(HeaderBytes + line.Length + 1);
        span[0] = (byte)((byte)stream | (newline ? EndsWithNewline : 0));
        ulong ticks = (ulong)utc.Ticks;
        for (int i = 9; i >= 1; i--, ticks >>= 7)
            span[i] = (byte)(0x80 | (ticks & 0x7f));
        line.CopyTo(span[HeaderBytes..]);
        span[HeaderBytes + line.Length] = (byte)'\n';
        output.Advance(HeaderBytes + line.Length + 1);
    }

    public LogEntry? Parse(ReadOnlySpan<byte> record)
    {
        if (record.Length < HeaderBytes)
            return null;
        var stream = (LogStream)(record[0] & 3);
        if (stream is not (LogStream.Stdout or LogStream.Stderr) || (record[0] & ~(3 | EndsWithNewline)) != 0)
            return null;
        ulong ticks = 0;
        for (int i = 1; i <= 9; i++)
        {
            if ((record[i] & 0x80) == 0)
                return null;
            ticks = (ticks << 7) | (byte)(record[i] & 0x7f);
        }
        if (ticks > (ulong)DateTime.MaxValue.Ticks)
            return null;
        var line = record[HeaderBytes..];
        bool newline = (record[0] & EndsWithNewline) != 0;
        byte[] bytes = new byte[line.Length + (newline ? 1 : 0)];
        line.CopyTo(bytes);
        if (newline)
            bytes[^1] = (byte)'\n';
        return new LogEntry(stream, new DateTime((long)ticks, DateTimeKind.Utc), bytes);
    }
}
