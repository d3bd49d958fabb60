using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>
/// One pull into the store. Layer blobs are verified while they stream in (size bounded by the manifest, sha256
/// against the manifest's digest, DiffID against the config) and unpacked in the same pass into `.tmp-` staging
/// paths; nothing is visible until <see cref="Commit"/>. A blob that fails any check is deleted at once; whatever
/// was staged but not committed is deleted on Dispose (or, after a kill -9, when the store next opens).
/// <see cref="AddLayer"/> may run on several threads at once.
/// </summary>
public sealed class ImageIngest : IDisposable
{
    private readonly ImageStore _store;
    private readonly byte[] _configBytes;
    private readonly ImageConfig _config;
    private readonly StagingArea _staging;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, StagedLayer> _staged = new(StringComparer.Ordinal);

    internal ImageIngest(ImageStore store, byte[] configBytes, ImageConfig config, StagingArea staging, ILogger logger)
    {
        _store = store;
        _configBytes = configBytes;
        _config = config;
        _staging = staging;
        _logger = logger;
        DiffIds = config.RootFs?.DiffIds ?? [];
        ChainIds = ChainId.Compute(DiffIds);
    }

    /// <summary>The config's rootfs.diff_ids, bottom first.</summary>
    public IReadOnlyList<string> DiffIds { get; }

    public IReadOnlyList<string> ChainIds { get; }

    /// <summary>Docker's "Already exists": the layer at this position is unpacked and the blob the manifest names is stored.</summary>
    public bool HasLayer(int index, string blobDigest) => _store.HasLayer(ChainIds[index], blobDigest);

    /// <summary>
    /// Reads a layer blob to its end: at most <paramref name="size"/> bytes are accepted, the digest must be
    /// <paramref name="digest"/> and the DiffID must be <paramref name="expectedDiffId"/>. Throws
    /// <see cref="ImageFormatException"/> on any mismatch, with the staged copy already deleted.
    /// </summary>
    public void AddLayer(Stream data, string digest, long size, string expectedDiffId, Action<long>? progress, CancellationToken ct)
    {
        Digest.Hex(digest, "layer blob");
        var bounded = new BoundedReadStream(data, size, digest);
        byte[] head = new byte[LayerSniffer.HeadSize];
        int headLength = bounded.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var format = LayerSniffer.Detect(head.AsSpan(0, headLength))
            ?? throw new ImageFormatException($"layer blob {digest} is neither gzip, zstd nor tar");
        var staged = LayerStager.Stage(digest, bounded, head.AsMemory(0, headLength), format, size, _staging, _logger, progress, ct);
        string? failure = staged.Digest != digest ? $"layer blob {digest} failed verification: its content has digest {staged.Digest}"
            : staged.DiffId != expectedDiffId ? $"layer blob {digest} has DiffID {staged.DiffId}, but the image config expects {expectedDiffId}"
            : null;
        if (failure is not null)
        {
            _staging.Delete(staged.BlobPath);
            _staging.Delete(staged.Directory!);
            throw new ImageFormatException(failure);
        }
        _staged[digest] = staged;
    }

    /// <summary>
    /// Makes the image visible with <paramref name="references"/> (tags and digest references). Every layer must have
    /// been added or be present. <paramref name="manifestDigest"/> and <paramref name="manifestBytes"/> are the
    /// image's own (platform) manifest, kept so that a push sends it back unchanged.
    /// </summary>
    public (Image Image, bool Changed) Commit(IReadOnlyList<(string Digest, long Size)> layers, string manifestDigest, byte[] manifestBytes,
        IReadOnlyList<ImageReference> references, CancellationToken ct)
    {
        if (layers.Count != DiffIds.Count)
            throw new ImageFormatException($"the manifest has {layers.Count} layers but the image config lists {DiffIds.Count} diff_ids");
        var stagedLayers = layers.Select((layer, i) => _staged.TryGetValue(layer.Digest, out var staged) ? staged : Present(i, layer.Digest, layer.Size)).ToList();
        var image = new VerifiedImage
        {
            Id = Digest.Of(_configBytes),
            ConfigBytes = _configBytes,
            Config = _config,
            Layers = stagedLayers,
            DiffIds = DiffIds,
            ChainIds = ChainIds,
            Tags = [],
            ManifestDigest = manifestDigest,
            ManifestBytes = manifestBytes,
        };
        return _store.CommitIngest(image, _staging, references, ct);
    }

    /// <summary>A layer that was already in the store: committed as it is.</summary>
    private StagedLayer Present(int index, string digest, long size)
    {
        if (!HasLayer(index, digest))
            throw new InvalidOperationException($"layer {digest} was neither added nor present");
        string path = _store.BlobPath(digest);
        byte[] head = new byte[LayerSniffer.HeadSize];
        int n;
        using (var file = File.OpenRead(path))
            n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return new StagedLayer
        {
            EntryName = digest,
            BlobPath = path,
            Digest = digest,
            Size = size,
            DiffId = DiffIds[index],
            UnpackedSize = _store.LayerSize(ChainIds[index]),
            Format = LayerSniffer.Detect(head.AsSpan(0, n)) ?? LayerFormat.Tar,
            Committed = true,
        };
    }

    public void Dispose() => _staging.Dispose();
}
