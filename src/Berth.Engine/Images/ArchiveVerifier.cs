using Berth.Engine.Rootfs;

namespace Berth.Engine.Images;

/// <summary>
/// Checks an image candidate against what was staged: each layer the manifest names is in the archive,
/// its blob has the digest (and size) the manifest promises, and the config's rootfs.diff_ids equal the
/// DiffIDs computed while unpacking, in count and order (moby image/tarexport load.go does the same).
/// </summary>
internal static class ArchiveVerifier
{
    public static VerifiedImage Verify(ImageCandidate candidate, ArchiveContents contents, CancellationToken ct)
    {
        if (candidate.Layers.Count > OverlayRootfs.MaxLowerLayers)
            throw new ImageFormatException($"{candidate.Source} has {candidate.Layers.Count} layers: overlayfs stacks at most {OverlayRootfs.MaxLowerLayers}, so no container could run it");
        var layers = candidate.Layers.Select(layer => StagedLayerFor(layer, candidate, contents, ct)).ToList();
        var diffIds = layers.Select(layer => layer.DiffId).ToList();
        byte[] configBytes = candidate.ConfigBytes ?? candidate.BuildConfig!(diffIds);
        string where = $"config `{candidate.ConfigName}`";
        var config = ImageJsonContext.Parse(configBytes, ImageJsonContext.Default.ImageConfig, where);
        var declared = config.RootFs?.DiffIds ?? [];
        if (declared.Count != layers.Count)
            throw new ImageFormatException($"{where} lists {declared.Count} diff_ids but {candidate.Source} has {layers.Count} layers");
        for (int i = 0; i < layers.Count; i++)
        {
            if (declared[i] != diffIds[i])
                throw new ImageFormatException($"layer `{layers[i].EntryName}` has DiffID {diffIds[i]}, but {where} expects {declared[i]}");
        }
        return new VerifiedImage
        {
            Id = Digest.Of(configBytes),
            ConfigBytes = configBytes,
            Config = config,
            Layers = layers,
            DiffIds = diffIds,
            ChainIds = ChainId.Compute(diffIds),
            Tags = candidate.Tags.ToList(),
            ManifestDigest = candidate.ManifestDigest,
            ManifestBytes = candidate.ManifestBytes,
        };
    }

    private static StagedLayer StagedLayerFor(CandidateLayer layer, ImageCandidate candidate, ArchiveContents contents, CancellationToken ct)
    {
        var staged = contents.GetLayer(layer.EntryName, ct)
            ?? throw new ImageFormatException($"{candidate.Source} names layer `{layer.EntryName}`, which is not in the archive");
        if (layer.ExpectedDigest is { } expected && staged.Digest != expected)
            throw new ImageFormatException($"layer blob `{layer.EntryName}` does not match its digest {expected}: the content is {staged.Digest}");
        if (layer.ExpectedSize is { } size && staged.Size != size)
            throw new ImageFormatException($"layer blob `{layer.EntryName}` has {staged.Size} bytes but {candidate.Source} says {size}");
        return staged;
    }
}
