using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>
/// An image configuration (OCI image-spec config.md; Docker's image JSON). Every field may be missing or
/// null in real images, so everything is nullable. The image ID is the digest of the raw config bytes,
/// never of this re-serialised form.
/// </summary>
public sealed class ImageConfig
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    [JsonPropertyName("os")]
    public string? Os { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("created")]
    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    /// <summary>The commit message of `docker commit -m`, or "Imported from ..." (Docker's V1Image.Comment).</summary>
    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    /// <summary>The execution parameters a container starts from (Env, Cmd, Entrypoint, ...).</summary>
    [JsonPropertyName("config")]
    public ImageExecutionConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public ImageRootFs? RootFs { get; init; }

    [JsonPropertyName("history")]
    public IReadOnlyList<ImageHistoryEntry>? History { get; init; }
}
