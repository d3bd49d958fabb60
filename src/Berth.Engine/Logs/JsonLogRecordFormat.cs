using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Engine.Logs;

/// <summary>Docker's json-file record: {"log":"text\n","stream":"stdout","time":"RFC3339Nano"} and a newline.</summary>
public sealed class JsonLogRecordFormat : ILogRecordFormat
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private Utf8JsonWriter? _json;

    public void Encode(ArrayBufferWriter<byte> output, LogStream stream, ReadOnlySpan<byte> line, DateTime utc)
    {
        if (_json is null)
            _json = new Utf8JsonWriter(output, WriterOptions);
        else
            _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteString("log"u8, Encoding.UTF8.GetString(line));
        _json.WriteString("stream"u8, stream == LogStream.Stderr ? "stderr"u8 : "stdout"u8);
        _json.WriteString("time"u8, LogTimestamp.Format(utc));
        _json.WriteEndObject();
        _json.Flush();
        output.Write("\n"u8);
    }

    public LogEntry? Parse(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty)
            return null;
        try
        {
            var reader = new Utf8JsonReader(record);
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
}
