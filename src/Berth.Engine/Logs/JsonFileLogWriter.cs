using System.Buffers;
using System.Text.Json;

namespace Berth.Engine.Logs;

/// <summary>
/// Docker's json-file log format: one JSON object per line, {"log":"text\n","stream":"stdout","time":"RFC3339Nano"}.
/// Output is cut into entries at newlines; a line longer than <see cref="MaxLineBytes"/> is written in
/// pieces, and whatever is left when a stream ends is written without a newline, as Docker does.
/// Not thread-safe: the owner serialises calls (all output of a container is read on one thread).
/// </summary>
public sealed class JsonFileLogWriter : IDisposable
{
    public const int MaxLineBytes = 16 * 1024;

    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly ArrayBufferWriter<byte> _pendingStdout = new();
    private readonly ArrayBufferWriter<byte> _pendingStderr = new();

    public JsonFileLogWriter(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 16 * 1024);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
    }

    public string Path => _file.Name;

    public void Write(LogStream stream, ReadOnlySpan<byte> data, DateTime utcNow)
    {
        var pending = Pending(stream);
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            int take = Math.Min(newline < 0 ? data.Length : newline + 1, MaxLineBytes - pending.WrittenCount);
            pending.Write(data[..take]);
            data = data[take..];
            if (pending.WrittenCount == MaxLineBytes || pending.WrittenSpan[^1] == (byte)'\n')
                WriteEntry(stream, pending, utcNow);
        }
    }

    /// <summary>Writes out a partial last line of <paramref name="stream"/> (at its end of file).</summary>
    public void Complete(LogStream stream, DateTime utcNow)
    {
        var pending = Pending(stream);
        if (pending.WrittenCount > 0)
            WriteEntry(stream, pending, utcNow);
    }

    public void Flush() => _file.Flush();

    private ArrayBufferWriter<byte> Pending(LogStream stream) => stream == LogStream.Stderr ? _pendingStderr : _pendingStdout;

    private void WriteEntry(LogStream stream, ArrayBufferWriter<byte> line, DateTime utcNow)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("log"u8, System.Text.Encoding.UTF8.GetString(line.WrittenSpan));
        _json.WriteString("stream"u8, stream == LogStream.Stderr ? "stderr"u8 : "stdout"u8);
        _json.WriteString("time"u8, LogTimestamp.Format(utcNow));
        _json.WriteEndObject();
        _json.Flush();
        _file.WriteByte((byte)'\n');
        line.Clear();
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
