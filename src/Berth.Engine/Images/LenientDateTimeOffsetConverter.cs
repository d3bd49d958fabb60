using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>
/// Reads RFC 3339 times as Go writes them (up to nanoseconds); a missing, null or unparsable
/// time becomes null instead of failing the whole image, as old images carry odd values.
/// </summary>
internal sealed class LenientDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }
        return DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
            writer.WriteStringValue(v);
        else
            writer.WriteNullValue();
    }
}
