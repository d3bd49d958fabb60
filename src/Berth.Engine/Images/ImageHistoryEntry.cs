using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>One step of an image's history; <see cref="EmptyLayer"/> steps have no layer of their own.</summary>
public sealed class ImageHistoryEntry
{
    [JsonPropertyName("created")]
    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    [JsonPropertyName("empty_layer")]
    public bool? EmptyLayer { get; init; }
}
