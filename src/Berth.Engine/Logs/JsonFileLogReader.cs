using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads a container's json-file log (<see cref="JsonFileLogWriter"/>'s format) from the start, and then what is
/// appended later (for <c>docker logs -f</c>): every <see cref="ReadAvailable"/> returns the complete lines added
/// since the previous call. A line the writer has not finished yet is kept until its newline arrives; a line
/// that is not valid JSON is skipped. A missing file reads as empty until it appears.
/// </summary>
public sealed class JsonFileLogReader : IDisposable
{
    private readonly string _path;
    private readonly ArrayBufferWriter<byte> _partial = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private FileStream? _file;

    public JsonFileLogReader(string path)
    {
        _path = path;
    }

    public List<LogEntry> ReadAvailable()
    {
        var entries = new List<LogEntry>();
        if (_file is null)
        {
            try
            {
                _file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            }
            catch (FileNotFoundException)
            {
                return entries;
            }
            catch (DirectoryNotFoundException)
            {
                return entries;
            }
        }
        int read;
        while ((read = _file.Read(_buffer)) > 0)
        {
            var data = _buffer.AsSpan(0, read);
            while (!data.IsEmpty)
            {
                int newline = data.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _partial.Write(data);
                    break;
                }
                ReadOnlySpan<byte> line;
                if (_partial.WrittenCount > 0)
                {
                    _partial.Write(data[..newline]);
                    line = _partial.WrittenSpan;
                }
                else
                    line = data[..newline];
                if (Parse(line) is { } entry)
                    entries.Add(entry);
                _partial.Clear();
                data = data[(newline + 1)..];
            }
        }
        return entries;
    }

    /// <summary>Reads the whole log as it is now.</summary>
    public static List<LogEntry> ReadAll(string path)
    {
        using var reader = new JsonFileLogReader(path);
        return reader.ReadAvailable();
    }

    private static LogEntry? Parse(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
            return null;
        try
        {
            var reader = new Utf8JsonReader(line);
            string? log = null;
            LogStream stream = LogStream.Stdout;
            DateTime time = default;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    log = reader.GetString();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.ValueTextEquals("stderr"u8) ? LogStream.Stderr : LogStream.Stdout;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = LogTimestamp.Parse(reader.GetString() ?? "");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return log is null ? null : new LogEntry(stream, time, Encoding.UTF8.GetBytes(log));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => _file?.Dispose();
}
