using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>The image store's narrow API for a registry client: pulls stage into an <see cref="ImageIngest"/>, pushes read <see cref="ImageContent"/>.</summary>
public sealed partial class ImageStore
{
    /// <summary>
    /// Starts adding the image whose config is <paramref name="configBytes"/> (already verified against its digest by
    /// the caller): layers then arrive one by one through <see cref="ImageIngest.AddLayer"/>, and <see cref="ImageIngest.Commit"/>
    /// makes the image visible. Disposing without commit deletes everything staged.
    /// </summary>
    public ImageIngest BeginIngest(byte[] configBytes)
    {
        var config = ImageJsonContext.Parse(configBytes, ImageJsonContext.Default.ImageConfig, $"config {Digest.Of(configBytes)}");
        return new ImageIngest(this, configBytes, config, new StagingArea(_blobs.Directory, _layers.Directory, MaxUnpackedSize), _logger);
    }

    /// <summary>
    /// The config of a stored image, by its ID (the config's digest), or null: a pull of an image already present
    /// reads it here instead of fetching the blob again (moby's pull skips the config of a known image too).
    /// </summary>
    public byte[]? TryReadConfig(string id)
    {
        lock (_lock)
            return _images.ContainsKey(id) && _blobs.Exists(id) ? _blobs.Read(id) : null;
    }

    /// <summary>True when the layer at this chain position is unpacked and its blob (as the registry serves it) is stored.</summary>
    internal bool HasLayer(string chainId, string blobDigest) => _layers.Exists(chainId) && _blobs.Exists(blobDigest);

    internal string BlobPath(string digest) => _blobs.PathOf(digest);

    internal long LayerSize(string chainId) => _layers.ReadRecord(chainId)?.Size ?? 0;

    /// <summary>
    /// Commits a pulled image: content as a load does (blobs, layers, record), then <paramref name="references"/>.
    /// Returns the image and whether anything changed (a new image or a reference that moved), which decides
    /// between Docker's "Downloaded newer image" and "Image is up to date".
    /// </summary>
    internal (Image Image, bool Changed) CommitIngest(VerifiedImage image, StagingArea staging, IReadOnlyList<ImageReference> references, CancellationToken ct)
    {
        Image pulled;
        bool changed;
        lock (_lock)
        {
            changed = !_images.ContainsKey(image.Id);
            if (changed)
                CommitContent(image, staging, ct);
            foreach (var reference in references)
            {
                changed |= _repositories.Lookup(reference) != image.Id;
                SetReference(reference, image.Id);
            }
            // A pull of an image already here with its tags in place writes nothing (and fsyncs nothing): the
            // common "Image is up to date" pull then costs only its requests.
            if (changed)
            {
                _repositories.Save();
                Interop.Sys.FsyncDirectory(_blobs.Directory);
                Interop.Sys.FsyncDirectory(_layers.Directory);
            }
            pulled = ToImage(_images[image.Id]);
        }
        // moby's pull event: the actor and the name are the reference asked for (the first one here).
        string name = references[0].FamiliarString;
        Publish(pulled, "pull", name, actor: name);
        return (pulled, changed);
    }

    /// <summary>What a push needs of a stored image: its config, its layer blobs as stored, and its manifest if it has one.</summary>
    public ImageContent GetContent(Image image)
    {
        lock (_lock)
        {
            if (!_images.TryGetValue(image.Id, out var stored))
                throw new ImageNotFoundException(image.Id);
            var record = stored.Record;
            byte[]? manifest = record.ManifestDigest is { } digest && _blobs.Exists(digest) ? _blobs.Read(digest) : null;
            var layers = record.LayerBlobs.Select((blob, i) => new ImageContentLayer(blob.Digest, blob.Size, ParseFormat(blob.Compression), stored.DiffIds[i], _blobs.PathOf(blob.Digest))).ToList();
            return new ImageContent(image.Id, _blobs.Read(image.Id), layers, record.ManifestDigest, manifest);
        }
    }

    private static LayerFormat ParseFormat(string? compression) => compression switch
    {
        "gzip" => LayerFormat.Gzip,
        "zstd" => LayerFormat.Zstd,
        _ => LayerFormat.Tar,
    };
}
