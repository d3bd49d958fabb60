namespace Berth.Engine.Images;

public enum ImageLoadProgressKind
{
    /// <summary>Bytes of a layer entry read so far (Current of Total).</summary>
    LayerProgress,

    /// <summary>A layer entry was stored and unpacked; Digest is its DiffID.</summary>
    LayerDone,

    /// <summary>An image was committed; Name is its tag in familiar form (or its ID when untagged), Digest its ID.</summary>
    ImageLoaded,
}
