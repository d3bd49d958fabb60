namespace Berth.Engine.Images;

/// <summary>
/// The file content one load may unpack, over all its layers (<see cref="ImageStore.MaxUnpackedSize"/>): a
/// 3 MB gzip bomb inflating to 1 GB stops at the limit, before the entry that would pass it is written.
/// </summary>
internal sealed class UnpackedSizeBudget(long? limit)
{
    private long _spent;

    /// <summary>Counts <paramref name="bytes"/> about to be written; throws <see cref="ImageFormatException"/> past the limit.</summary>
    public void Spend(long bytes, string layer)
    {
        if (limit is not { } max)
            return;
        _spent += bytes;
        if (_spent > max)
            throw new ImageFormatException($"layer `{layer}` takes the image past {max} bytes unpacked, the most this engine accepts (berthd --max-image-unpacked-size)");
    }
}
