using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>
/// What <see cref="ImageStore.CreateImageAsync"/> makes an image of: a parent (or none), at most one new layer and
/// the new config. `docker commit` and `docker import` use it; so can a builder (one call per step).
/// </summary>
public sealed class NewImage
{
    /// <summary>The image the new one is built on; null for an image of one layer (import).</summary>
    public Image? Parent { get; init; }

    /// <summary>
    /// The new layer as a tar (plain, gzip or zstd; OCI whiteouts), read once to its end; null for none. A layer with no
    /// entries adds no layer, only a history entry with <c>empty_layer</c>, as moby's NewChildImage does.
    /// </summary>
    public Stream? Layer { get; init; }

    /// <summary>The container defaults of the new image (Cmd, Env, ...).</summary>
    public ImageExecutionConfig? Config { get; init; }

    public string? Author { get; init; }

    /// <summary>The commit message; also the new history entry's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>The history entry's created_by: the container's command for a commit.</summary>
    public string? CreatedBy { get; init; }

    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Tagged with this reference once stored; null for an untagged image.</summary>
    public ImageReference? Tag { get; init; }

    /// <summary>The architecture of an image without a parent; the parent's otherwise.</summary>
    public string? Architecture { get; init; }
}
