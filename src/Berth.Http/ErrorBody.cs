using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Berth.Http;

/// <summary>Docker's error body <c>{"message":"..."}</c>, written and read without reflection.</summary>
internal static class ErrorBody
{
    public static byte[] Create(string message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The "message" of an error body; the body itself as text when it is not such JSON.</summary>
    public static string ReadMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isMessage = reader.ValueTextEquals("message"u8);
                    reader.Read();
                    if (isMessage && reader.TokenType == JsonTokenType.String)
                        return reader.GetString() ?? "";
                    reader.Skip();
                }
        }
        catch (JsonException)
        {
        }
        return Encoding.UTF8.GetString(body).Trim();
    }
}
