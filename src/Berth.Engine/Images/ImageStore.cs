using Berth.Common;
using Berth.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Engine.Images;

/// <summary>
/// The image store under one root (the engine passes <c>&lt;dataRoot&gt;/images</c>):
/// <list type="bullet">
/// <item><c>blobs/sha256/&lt;hex&gt;</c>: verified configs, manifests and layer blobs;</item>
/// <item><c>layers/&lt;chainid hex&gt;/diff/</c> and <c>layer.json</c>: each layer unpacked once, an overlay lowerdir;</item>
/// <item><c>imagedb/&lt;config hex&gt;.json</c>: one record per image;</item>
/// <item><c>repositories.json</c>: tags and digest references → image IDs, as Docker keeps them.</item>
/// </list>
/// A load stages everything, verifies every digest of every image in the archive, and only then commits
/// (renames into place and metadata writes, under one lock). Anything not committed is deleted, so a failed
/// load leaves no blob, layer or tag behind; `.tmp-` leftovers of a crash are deleted when the store opens.
/// Open one ImageStore per root: opening also deletes layers and blobs that no image record names.
/// Errors: <see cref="ImageFormatException"/> and <see cref="InvalidImageReferenceException"/> (400),
/// <see cref="ImageNotFoundException"/> (404), <see cref="ImageInUseException"/> (409), IOException (500).
/// </summary>
public sealed partial class ImageStore
{
    private readonly object _lock = new();
    private readonly ILogger _logger;
    private readonly BlobStore _blobs;
    private readonly LayerStore _layers;
    private readonly ImageDatabase _database;
    private readonly RepositoryIndex _repositories;
    private readonly Dictionary<string, StoredImage> _images = new(StringComparer.Ordinal);

    public ImageStore(string root, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        Root = Path.GetFullPath(root);
        string blobs = Path.Combine(Root, "blobs", "sha256");
        string layers = Path.Combine(Root, "layers");
        string imagedb = Path.Combine(Root, "imagedb");
        foreach (string directory in new[] { Root, blobs, layers, imagedb })
        {
            Directory.CreateDirectory(directory);
            DeleteStaleTemporaries(directory);
        }
        _blobs = new BlobStore(blobs);
        _layers = new LayerStore(layers);
        _database = new ImageDatabase(imagedb);
        _repositories = new RepositoryIndex(Path.Combine(Root, "repositories.json"));
        bool complete = Restore();
        if (complete)
            DeleteOrphans();
    }

    public string Root { get; }

    /// <summary>
    /// The most file content one load, pull, import or commit may unpack (all its layers); null, the default as in
    /// Docker, for no limit.
    /// A load past it fails with <see cref="ImageFormatException"/> and leaves nothing behind.
    /// </summary>
    public long? MaxUnpackedSize { get; set; }

    /// <summary>The largest non-layer archive entry a load keeps in memory.</summary>
    internal int MetadataLimit { get; set; } = ImageArchiveReader.DefaultMetadataLimit;

    /// <summary>
    /// Loads every image of a `docker save` or OCI layout archive, read once from a stream that need not be
    /// seekable. Returns the loaded images with their tags. Bad archives throw <see cref="ImageFormatException"/>.
    /// </summary>
    public Task<IReadOnlyList<Image>> LoadAsync(Stream archive, IProgress<ImageLoadProgress>? progress = null, CancellationToken ct = default) =>
        Task.Factory.StartNew(() => Load(archive, progress, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Finds an image by reference (<c>busybox</c>, <c>busybox:1.36</c>, <c>docker.io/library/busybox:latest</c>,
    /// <c>busybox@sha256:…</c>) or by ID (<c>sha256:&lt;hex&gt;</c>, hex, or an unambiguous hex prefix).
    /// References are tried first, as Docker does. Null when nothing matches; an ID prefix that matches
    /// several images throws <see cref="InvalidImageReferenceException"/>.
    /// </summary>
    public Image? Find(string nameOrId)
    {
        lock (_lock)
            return FindStored(nameOrId, out _) is { } image ? ToImage(image) : null;
    }

    public IReadOnlyList<Image> List()
    {
        lock (_lock)
            return _images.Values.Select(ToImage).OrderByDescending(image => image.Created).ToList();
    }

    /// <summary>The layers' diff directories, top-most first, as overlayfs wants its lowerdir list.</summary>
    public IReadOnlyList<string> GetLayerDirectories(Image image) =>
        image.ChainIds.Reverse().Select(_layers.DiffOf).ToList();

    /// <summary>overlay2's image data (inspect's GraphDriver.Data): the top layer is UpperDir, the ones below it (top-most first) LowerDir.</summary>
    public Dictionary<string, string> StorageLayout(Image image)
    {
        var layers = GetLayerDirectories(image);
        var data = new Dictionary<string, string>();
        if (layers.Count > 0)
            data["UpperDir"] = layers[0];
        if (layers.Count > 1)
            data["LowerDir"] = string.Join(':', layers.Skip(1));
        return data;
    }

    /// <summary>Points a tag at an image (moving it from another image, as `docker tag` does).</summary>
    public void Tag(Image image, ImageReference reference)
    {
        if (reference.Digest is not null)
            throw new InvalidImageReferenceException(reference.ToString(), "refusing to create a tag with a digest reference");
        lock (_lock)
            TagLocked(_images.GetValueOrDefault(image.Id) ?? throw new ImageNotFoundException(image.Id), reference);
        Publish(image, "tag", reference.FamiliarString);
    }

    /// <summary>Points the tag and records the time (inspect's Metadata.LastTagTime), under the lock.</summary>
    private void TagLocked(StoredImage image, ImageReference reference)
    {
        SetReference(reference, image.Id);
        _repositories.Save();
        image.Record.LastTagTime = DateTimeOffset.UtcNow;
        _database.Write(image.Record);
    }

    /// <summary>
    /// `docker rmi` (moby daemon/images/image_delete.go): by reference, removes that reference and deletes
    /// the image once no reference is left; by ID, removes all references and the image. The image's layers
    /// and blobs go with it unless another image uses them. Conflicts throw <see cref="ImageInUseException"/>:
    /// an image used by a container (unless forced), or an ID whose references span several repositories
    /// (unless forced). A forced removal of an image in use only untags it: its layers are live lowerdirs.
    /// </summary>
    /// <param name="prune">As moby (unless <c>noprune</c>): once the image is deleted, its parent goes too when nothing
    /// names it, no other image has it as parent and no container uses it, and so on up the chain, so a built image's
    /// untagged intermediate images leave with it.</param>
    public ImageDeleteResult Remove(string nameOrId, bool force, Func<string, bool> isImageInUse, bool prune = true)
    {
        Image removed;
        ImageDeleteResult result;
        var pruned = new List<Image>();
        lock (_lock)
        {
            var image = FindStored(nameOrId, out var reference) ?? throw new ImageNotFoundException(nameOrId);
            removed = ToImage(image);
            var references = _repositories.ReferencesTo(image.Id);
            bool inUse = isImageInUse(image.Id);
            result = reference is not null
                ? RemoveReference(image, reference, references, force, inUse)
                : RemoveById(image, references, force, inUse);
            if (prune && result.Deleted.Contains(image.Id))
            {
                var deleted = result.Deleted.ToList();
                for (string? id = image.Record.Parent; id is not null && _images.TryGetValue(id, out var parent); id = parent.Record.Parent)
                {
                    if (_repositories.ReferencesTo(id).Count > 0 || HasChildren(id) || isImageInUse(id))
                        break;
                    pruned.Add(ToImage(parent));
                    deleted.AddRange(DeleteImage(parent));
                }
                result = new ImageDeleteResult { Untagged = result.Untagged, Deleted = deleted };
            }
        }
        PublishRemoval(removed, result);
        foreach (var parent in pruned)
            Publish(parent, "delete", parent.Id);
        return result;
    }

    private bool HasChildren(string imageId) => _images.Values.Any(i => i.Record.Parent == imageId);

    /// <summary>
    /// Removing the last tag of a repository also removes that repository's digest references (moby does the
    /// same), so the image is deleted when nothing else names it.
    /// </summary>
    private ImageDeleteResult RemoveReference(StoredImage image, ImageReference reference, List<ImageReference> references, bool force, bool inUse)
    {
        var key = reference.Digest is { } digest ? reference.WithDigest(digest) : reference;
        var untag = new List<ImageReference> { key };
        if (key.Digest is null && !references.Any(r => r.Digest is null && r.Name == key.Name && !r.Equals(key)))
            untag.AddRange(references.Where(r => r.Digest is not null && r.Name == key.Name));
        bool last = references.All(untag.Contains);
        // The last name of an image other images were built on only untags it (moby's quiet conflict): the children need it.
        bool keep = inUse || HasChildren(image.Id);
        if (last && inUse && !force)
            throw new ImageInUseException($"conflict: unable to remove repository reference \"{reference.FamiliarString}\" (must force) - a container is using its referenced image {Digest.Short(image.Id)}");
        foreach (var r in untag)
            _repositories.Remove(r);
        _repositories.Save();
        var untagged = untag.Select(r => r.FamiliarString).ToList();
        return new ImageDeleteResult { Untagged = untagged, Deleted = last && !keep ? DeleteImage(image) : [] };
    }

    private ImageDeleteResult RemoveById(StoredImage image, List<ImageReference> references, bool force, bool inUse)
    {
        if (HasChildren(image.Id))
            throw new ImageInUseException($"conflict: unable to delete {Digest.Short(image.Id)} (cannot be forced) - image has dependent child images");
        if (!force && references.Select(r => r.Name).Distinct().Count() > 1)
            throw new ImageInUseException($"conflict: unable to delete {Digest.Short(image.Id)} (must be forced) - image is referenced in multiple repositories");
        if (!force && inUse)
            throw new ImageInUseException($"conflict: unable to delete {Digest.Short(image.Id)} (must be forced) - image is being used by a container");
        foreach (var reference in references)
            _repositories.Remove(reference);
        _repositories.Save();
        var untagged = references.Select(r => r.FamiliarString).ToList();
        return new ImageDeleteResult { Untagged = untagged, Deleted = inUse ? [] : DeleteImage(image) };
    }

    /// <summary>Forgets the image, then deletes the layers and blobs no remaining image uses.</summary>
    private List<string> DeleteImage(StoredImage image)
    {
        _database.Delete(image.Id);
        _images.Remove(image.Id);
        var deleted = new List<string> { image.Id };
        var liveLayers = _images.Values.SelectMany(i => i.ChainIds).ToHashSet(StringComparer.Ordinal);
        foreach (string chainId in image.ChainIds.Distinct().Reverse().Where(c => !liveLayers.Contains(c) && _layers.Exists(c)))
        {
            _layers.Delete(chainId);
            deleted.Add(chainId);
        }
        var liveBlobs = _images.Values.SelectMany(i => i.Blobs).ToHashSet(StringComparer.Ordinal);
        foreach (string blob in image.Blobs.Distinct().Where(b => !liveBlobs.Contains(b)))
            _blobs.Delete(blob);
        return deleted;
    }

    private IReadOnlyList<Image> Load(Stream archive, IProgress<ImageLoadProgress>? progress, CancellationToken ct)
    {
        using var staging = new StagingArea(_blobs.Directory, _layers.Directory, MaxUnpackedSize);
        var contents = new ImageArchiveReader(staging, _logger, progress, ct) { MetadataLimit = MetadataLimit }.Read(archive);
        var candidates = ArchiveImageResolver.Resolve(contents, _logger);
        var verified = Merge(candidates.Select(candidate => ArchiveVerifier.Verify(candidate, contents, ct)));
        ct.ThrowIfCancellationRequested();
        List<Image> loaded;
        lock (_lock)
        {
            foreach (var image in verified)
                Commit(image, staging, ct);
            _repositories.Save();
            Sys.FsyncDirectory(_blobs.Directory);
            Sys.FsyncDirectory(_layers.Directory);
            loaded = verified.Select(image => ToImage(_images[image.Id])).ToList();
        }
        foreach (var image in loaded)
        {
            ReportLoaded(image, progress);
            foreach (string name in image.RepoTags.Count > 0 ? image.RepoTags : [image.Id])
                Publish(image, "load", name);
        }
        return loaded;
    }

    /// <summary>The same image listed twice (one manifest per tag, as in docker save's index) becomes one, with all the tags.</summary>
    private static List<VerifiedImage> Merge(IEnumerable<VerifiedImage> images)
    {
        var merged = new List<VerifiedImage>();
        foreach (var image in images)
        {
            if (merged.Find(m => m.Id == image.Id) is { } first)
                first.Tags.AddRange(image.Tags.Where(tag => !first.Tags.Contains(tag)));
            else
                merged.Add(image);
        }
        return merged;
    }

    /// <summary>
    /// Blobs, then layers, then the image record, then tags: a crash in between leaves orphans (deleted when
    /// the store next opens), never a dangling reference. An image already in the store only gets the tags.
    /// </summary>
    private void Commit(VerifiedImage image, StagingArea staging, CancellationToken ct)
    {
        if (!_images.ContainsKey(image.Id))
            CommitContent(image, staging, ct);
        foreach (var tag in image.Tags)
            SetReference(tag, image.Id);
        if (image.ManifestDigest is not null)
        {
            foreach (var tag in image.Tags)
                SetReference(tag.WithDigest(image.ManifestDigest), image.Id);
        }
    }

    private void CommitContent(VerifiedImage image, StagingArea staging, CancellationToken ct)
    {
        _blobs.Write(image.Id, image.ConfigBytes);
        if (image.ManifestDigest is { } manifestDigest)
            _blobs.Write(manifestDigest, image.ManifestBytes!);
        foreach (var layer in image.Layers)
            _blobs.Commit(layer, staging);
        for (int i = 0; i < image.Layers.Count; i++)
            CommitLayer(image, i, staging, ct);
        var record = new ImageRecord
        {
            Id = image.Id,
            ManifestDigest = image.ManifestDigest,
            LayerBlobs = image.Layers.Select(l => new LayerBlobRecord { Digest = l.Digest, Size = l.Size, Compression = l.Format.ToString().ToLowerInvariant() }).ToList(),
            Loaded = DateTimeOffset.UtcNow,
        };
        _database.Write(record);
        _images[image.Id] = new StoredImage(record, image.Config, image.DiffIds, image.ChainIds, image.Layers.Sum(l => l.UnpackedSize));
    }

    private void CommitLayer(VerifiedImage image, int index, StagingArea staging, CancellationToken ct)
    {
        string chainId = image.ChainIds[index];
        if (_layers.Exists(chainId))
            return;
        var layer = image.Layers[index];
        // A staged directory serves one chain position; the same layer over another parent is unpacked again.
        string directory = layer.Directory ?? LayerStager.UnpackAgain(layer, staging, _logger, ct);
        layer.Directory = null;
        var record = new LayerRecord { ChainId = chainId, DiffId = image.DiffIds[index], Parent = index > 0 ? image.ChainIds[index - 1] : null, Size = layer.UnpackedSize };
        if (!_layers.Commit(directory, record, staging))
            _logger.LogDebug("Layer {ChainId} was committed by another load; dropped this copy", chainId);
    }

    private void SetReference(ImageReference reference, string imageId)
    {
        if (_repositories.Set(reference, imageId) is { } previous)
            _logger.LogInformation("Reference {Reference} moved from image {Previous} to {Image}", reference.FamiliarString, previous, imageId);
    }

    private static void ReportLoaded(Image image, IProgress<ImageLoadProgress>? progress)
    {
        if (progress is null)
            return;
        foreach (string name in image.RepoTags.DefaultIfEmpty(image.Id))
            progress.Report(new ImageLoadProgress(ImageLoadProgressKind.ImageLoaded, name, image.Id, 0, 0));
    }

    private StoredImage? FindStored(string nameOrId, out ImageReference? byReference)
    {
        byReference = null;
        if (nameOrId.StartsWith(Digest.Sha256Prefix, StringComparison.Ordinal))
            return FindByIdPrefix(nameOrId[Digest.Sha256Prefix.Length..], nameOrId);
        if (ImageReference.TryParse(nameOrId, out var reference) && _repositories.Lookup(reference) is { } id && _images.TryGetValue(id, out var image))
        {
            byReference = reference;
            return image;
        }
        return FindByIdPrefix(nameOrId, nameOrId);
    }

    private StoredImage? FindByIdPrefix(string hex, string nameOrId)
    {
        if (hex.Length > 64 || !Digest.IsHex(hex))
            return null;
        var matches = _images.Values.Where(i => i.Id.AsSpan(Digest.Sha256Prefix.Length).StartsWith(hex, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new InvalidImageReferenceException(nameOrId, "image ID prefix matches more than one image"),
        };
    }

    private Image ToImage(StoredImage image)
    {
        var references = _repositories.ReferencesTo(image.Id);
        return new Image
        {
            Id = image.Id,
            RepoTags = references.Where(r => r.Digest is null).Select(r => r.FamiliarString).Order(StringComparer.Ordinal).ToList(),
            RepoDigests = references.Where(r => r.Digest is not null).Select(r => r.FamiliarString).Order(StringComparer.Ordinal).ToList(),
            Config = image.Config,
            DiffIds = image.DiffIds,
            ChainIds = image.ChainIds,
            Created = image.Config.Created ?? DateTimeOffset.UnixEpoch,
            Size = image.Size,
            LoadedAt = image.Record.Loaded,
            LastTagTime = image.Record.LastTagTime,
            ManifestDigest = image.Record.ManifestDigest,
            Parent = image.Record.Parent,
        };
    }

    /// <summary>Rebuilds the in-memory state from the records; false when some record could not be used.</summary>
    private bool Restore()
    {
        bool complete = true;
        foreach (var record in _database.ReadAll(_logger))
        {
            try
            {
                complete &= TryRestore(record);
            }
            catch (Exception e) when (e is IOException or ImageFormatException)
            {
                _logger.LogError("Skipping image {Id}: {Message}", record.Id, e.Message);
                complete = false;
            }
        }
        return complete;
    }

    private bool TryRestore(ImageRecord record)
    {
        byte[] configBytes = _blobs.Read(record.Id);
        if (Digest.Of(configBytes) != record.Id)
            throw new ImageFormatException($"config blob {record.Id} does not match its digest");
        var config = ImageJsonContext.Parse(configBytes, ImageJsonContext.Default.ImageConfig, $"config {record.Id}");
        var diffIds = config.RootFs?.DiffIds ?? [];
        var chainIds = ChainId.Compute(diffIds);
        if (chainIds.FirstOrDefault(chainId => !_layers.Exists(chainId)) is { } missing)
        {
            _logger.LogError("Skipping image {Id}: layer {ChainId} is missing", record.Id, missing);
            return false;
        }
        long size = chainIds.Sum(chainId => _layers.ReadRecord(chainId)?.Size ?? 0);
        _images[record.Id] = new StoredImage(record, config, diffIds, chainIds, size);
        return true;
    }

    /// <summary>Layers and blobs no image uses: left by a crash between commit steps or during a removal.</summary>
    private void DeleteOrphans()
    {
        var liveLayers = _images.Values.SelectMany(i => i.ChainIds).Select(c => c[Digest.Sha256Prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (string directory in Directory.EnumerateDirectories(_layers.Directory).Where(d => Digest.IsHex(Path.GetFileName(d), 64)))
        {
            if (!liveLayers.Contains(Path.GetFileName(directory)))
            {
                _logger.LogWarning("Deleting orphaned layer {Directory}", directory);
                _layers.Delete(Digest.Sha256Prefix + Path.GetFileName(directory));
            }
        }
        var liveBlobs = _images.Values.SelectMany(i => i.Blobs).Select(b => b[Digest.Sha256Prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(_blobs.Directory).Where(f => Digest.IsHex(Path.GetFileName(f), 64)))
        {
            if (!liveBlobs.Contains(Path.GetFileName(file)))
            {
                _logger.LogWarning("Deleting orphaned blob {File}", file);
                File.Delete(file);
            }
        }
    }

    /// <summary>`.tmp-` files and directories are staging areas and atomic-write temps of a process that died.</summary>
    private void DeleteStaleTemporaries(string directory)
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(directory, AtomicFile.TempPrefix + "*"))
        {
            _logger.LogWarning("Deleting stale temporary {Path}", path);
            StagingArea.DeletePath(path);
        }
    }
}
