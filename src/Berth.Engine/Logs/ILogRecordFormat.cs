using System.Buffers;

namespace Berth.Engine.Logs;

/// <summary>
/// How a log driver encodes one entry in its file. Every format writes one newline-terminated record per entry with
/// no other newline in it, so rotation, <c>--tail</c> read backwards, gzip of rotated files and <c>-f</c> across
/// rotations (<see cref="LogFileWriter"/>, <see cref="LogFileReader"/>) are the same code for every driver.
/// </summary>
public interface ILogRecordFormat
{
    /// <summary>Appends the record of <paramref name="line"/> (at most one newline, at its end), its newline included.</summary>
    void Encode(ArrayBufferWriter<byte> output, LogStream stream, ReadOnlySpan<byte> line, DateTime utc);

    /// <summary>The entry of one record (without its newline); null for a record that is not this format's.</summary>
    LogEntry? Parse(ReadOnlySpan<byte> record);

    /// <summary>A new format object (they may keep encoder state, so each writer has its own) for a checked driver name.</summary>
    static ILogRecordFormat For(string driver) =>
        driver == LogSettings.Local ? new LocalLogRecordFormat() : new JsonLogRecordFormat();
}
