using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>An image a manifest of the archive describes, before any of its digests are checked.</summary>
internal sealed class ImageCandidate
{
    /// <summary>Where it came from, for messages: "manifest.json entry 0", "index.json manifest sha256:…".</summary>
    public required string Source { get; init; }

    /// <summary>The config's entry in the archive (or what stands for it), for messages.</summary>
    public required string ConfigName { get; init; }

    /// <summary>The raw config blob; null for a legacy archive, whose config is built once the DiffIDs are known.</summary>
    public byte[]? ConfigBytes { get; init; }

    public Func<IReadOnlyList<string>, byte[]>? BuildConfig { get; init; }

    public required IReadOnlyList<CandidateLayer> Layers { get; init; }

    public required IReadOnlyList<ImageReference> Tags { get; init; }

    public string? ManifestDigest { get; init; }

    public byte[]? ManifestBytes { get; init; }
}
