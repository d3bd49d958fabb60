using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>An image of the archive whose every digest checked out, ready to commit.</summary>
internal sealed class VerifiedImage
{
    /// <summary>sha256 of the config blob.</summary>
    public required string Id { get; init; }

    public required byte[] ConfigBytes { get; init; }

    public required ImageConfig Config { get; init; }

    /// <summary>Bottom first.</summary>
    public required IReadOnlyList<StagedLayer> Layers { get; init; }

    public required IReadOnlyList<string> DiffIds { get; init; }

    public required IReadOnlyList<string> ChainIds { get; init; }

    public required List<ImageReference> Tags { get; init; }

    public string? ManifestDigest { get; init; }

    public byte[]? ManifestBytes { get; init; }
}
