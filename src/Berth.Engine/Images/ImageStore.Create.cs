using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Interop;

namespace Berth.Engine.Images;

/// <summary>Images made here rather than loaded: `docker commit` and `docker import` (and, later, a builder's steps).</summary>
public sealed partial class ImageStore
{
    /// <summary>The DiffID of a tar with no entries (1024 zero bytes): moby's layer.DigestSHA256EmptyTar.</summary>
    public const string EmptyLayerDiffId = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

    /// <summary>
    /// Stores a new image: the parent's layers (shared, not copied), the new layer read from <see cref="NewImage.Layer"/>
    /// (hashed, kept as a blob and unpacked in the same pass), a config that extends the parent's rootfs and history,
    /// and the tag. Nothing is stored when the layer is not a valid tar (<see cref="ImageFormatException"/>) or the
    /// parent was removed meanwhile (<see cref="ImageNotFoundException"/>).
    /// </summary>
    public async Task<Image> CreateImageAsync(NewImage request, CancellationToken ct = default)
    {
        var image = await Task.Factory.StartNew(() => Create(request, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (request.Tag is { } tag)
            Publish(image, "tag", tag.FamiliarString);
        return image;
    }

    /// <summary>`docker import`: <see cref="CreateImageAsync"/> of a root filesystem, then moby's import event (after its tag event).</summary>
    public async Task<Image> ImportAsync(NewImage request, CancellationToken ct = default)
    {
        var image = await CreateImageAsync(request, ct);
        Publish(image, "import", image.Id);
        return image;
    }

    private Image Create(NewImage request, CancellationToken ct)
    {
        using var staging = new StagingArea(_blobs.Directory, _layers.Directory, MaxUnpackedSize);
        var layer = request.Layer is { } stream ? StageLayer(stream, staging, ct) : null;
        if (layer?.DiffId == EmptyLayerDiffId)
            layer = null;
        var parent = request.Parent;
        var diffIds = (parent?.DiffIds ?? []).Concat(layer is null ? [] : [layer.DiffId]).ToList();
        var chainIds = ChainId.Compute(diffIds);
        var config = new ImageConfig
        {
            Architecture = parent?.Config.Architecture ?? request.Architecture ?? HostArchitecture,
            Os = parent?.Config.Os ?? "linux",
            Variant = parent?.Config.Variant,
            Created = request.Created,
            Author = request.Author,
            Comment = request.Comment,
            Config = request.Config,
            RootFs = new ImageRootFs { Type = "layers", DiffIds = diffIds },
            History = [.. parent?.Config.History ?? [], new ImageHistoryEntry
            {
                Created = request.Created,
                CreatedBy = request.CreatedBy,
                Author = request.Author,
                Comment = request.Comment,
                EmptyLayer = layer is null ? true : null,
            }],
        };
        byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ImageJsonContext.Default.ImageConfig);
        string id = Digest.Of(configBytes);
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StoredImage? storedParent = null;
            if (parent is not null && !_images.TryGetValue(parent.Id, out storedParent))
                throw new ImageNotFoundException(parent.Id);
            if (!_images.ContainsKey(id))
            {
                _blobs.Write(id, configBytes);
                var blobs = storedParent?.Record.LayerBlobs.ToList() ?? [];
                if (layer is not null)
                {
                    _blobs.Commit(layer, staging);
                    string chainId = chainIds[^1];
                    if (!_layers.Exists(chainId))
                    {
                        var record = new LayerRecord { ChainId = chainId, DiffId = layer.DiffId, Parent = chainIds.Count > 1 ? chainIds[^2] : null, Size = layer.UnpackedSize };
                        _layers.Commit(layer.Directory!, record, staging);
                        layer.Directory = null;
                    }
                    blobs.Add(new LayerBlobRecord { Digest = layer.Digest, Size = layer.Size, Compression = layer.Format.ToString().ToLowerInvariant() });
                }
                var imageRecord = new ImageRecord { Id = id, Parent = parent?.Id, LayerBlobs = blobs, Loaded = DateTimeOffset.UtcNow };
                _database.Write(imageRecord);
                long size = (storedParent?.Size ?? 0) + (layer?.UnpackedSize ?? 0);
                _images[id] = new StoredImage(imageRecord, config, diffIds, chainIds, size);
                Sys.FsyncDirectory(_blobs.Directory);
                Sys.FsyncDirectory(_layers.Directory);
            }
            if (request.Tag is { } tag)
                TagLocked(_images[id], tag);
            return ToImage(_images[id]);
        }
    }

    /// <summary>The layer, sniffed (tar, gzip, zstd), hashed as a blob and as a tar, and unpacked, all in one read.</summary>
    private StagedLayer StageLayer(Stream stream, StagingArea staging, CancellationToken ct)
    {
        var head = new byte[LayerSniffer.HeadSize];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var format = LayerSniffer.Detect(head.AsSpan(0, n)) ?? throw new ImageFormatException(
            n == 0 ? "the layer is empty: a tar archive was expected" : "the layer is not a tar archive, nor a gzip or zstd compressed one");
        return LayerStager.Stage("layer", stream, head.AsMemory(0, n), format, -1, staging, _logger, null, ct);
    }

    /// <summary>The Go architecture name of this host, for an image without a parent.</summary>
    internal static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };
}
