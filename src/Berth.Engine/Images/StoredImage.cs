namespace Berth.Engine.Images;

/// <summary>An image the store holds: its record plus what is derived from its config.</summary>
internal sealed record StoredImage(ImageRecord Record, ImageConfig Config, IReadOnlyList<string> DiffIds, IReadOnlyList<string> ChainIds, long Size)
{
    public string Id => Record.Id;

    /// <summary>Every blob the image needs: config, manifest, layer blobs.</summary>
    public IEnumerable<string> Blobs =>
        new[] { Record.Id, Record.ManifestDigest }.OfType<string>().Concat(Record.LayerBlobs.Select(blob => blob.Digest));
}
