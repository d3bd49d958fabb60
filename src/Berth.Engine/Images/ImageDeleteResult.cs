namespace Berth.Engine.Images;

/// <summary>What <see cref="ImageStore.Remove"/> did, in the order Docker reports it.</summary>
public sealed class ImageDeleteResult
{
    /// <summary>References removed, in familiar form.</summary>
    public required IReadOnlyList<string> Untagged { get; init; }

    /// <summary>The image ID, then the ChainIDs of layers no other image uses, when the image itself was deleted.</summary>
    public required IReadOnlyList<string> Deleted { get; init; }
}
