using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>
/// Source-generated JSON metadata for every type the image store reads or writes (the engine is
/// AOT-compiled, so no reflection). Property names match case-insensitively, as Go's decoder does.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(OciIndex))]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(List<DockerManifestEntry>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
[JsonSerializable(typeof(RepositoriesFile))]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(LayerRecord))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class ImageJsonContext : JsonSerializerContext
{
    /// <summary>Deserialises <paramref name="data"/>; invalid or null JSON is a format error naming <paramref name="what"/>.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(data, type) ?? throw new ImageFormatException($"{what} is null, not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ImageFormatException($"{what} is not valid JSON: {e.Message}", e);
        }
    }
}
