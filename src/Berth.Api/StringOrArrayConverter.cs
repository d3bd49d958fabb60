using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// Docker's strslice: <c>Cmd</c>, <c>Entrypoint</c> and <c>Shell</c> are arrays of strings, but older clients
/// send a single string (one element). <c>null</c> stays null. Always written as an array (or null).
/// </summary>
public sealed class StringOrArrayConverter : JsonConverter<List<string>?>
{
    public override bool HandleNull => true;

    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                        throw new JsonException($"expected a string in the array, found {reader.TokenType}");
                    list.Add(reader.GetString()!);
                }
                return list;
            default:
                throw new JsonException($"expected a string or an array of strings, found {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string>? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartArray();
        foreach (string item in value)
            writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
