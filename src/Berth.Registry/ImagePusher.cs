using Berth.Common;
using Berth.Engine.Images;

namespace Berth.Registry;

/// <summary>
/// docker push (moby distribution/push_v2.go): per layer (keyed by its DiffID's short form) "Preparing", then,
/// a few at a time, a HEAD ("Layer already exists"), a cross-repository mount from another repository of the same
/// registry that the image came from ("Mounted from"), or an upload ("Pushing", "Pushed"); the config; the manifest
/// last, then <c>TAG: digest: sha256:… size: N</c>.
/// </summary>
public sealed class ImagePusher(RegistryService service, ImageStore store)
{
    public async Task<PushResult> PushAsync(ImageReference reference, RegistryCredentials? credentials, IProgress<RegistryProgress> progress, CancellationToken ct)
    {
        string tag = reference.Tag ?? ImageReference.DefaultTag;
        var target = reference.WithTag(tag);
        var image = store.Find(target.ToString())
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"An image does not exist locally with the tag: {target.FamiliarName}");
        progress.Report(new RegistryProgress(null, $"The push refers to repository [{reference.Name}]"));
        var content = store.GetContent(image);
        var (manifest, mediaType) = ManifestBuilder.For(content);
        var mountSources = MountSources(image, reference);
        var client = service.Open(reference, credentials, push: true, mountSources.Select(s => $"repository:{s}:pull"));

        var layers = content.Layers.DistinctBy(l => l.Digest).ToList();
        foreach (var layer in layers)
            progress.Report(new RegistryProgress(Digest.Short(layer.DiffId), "Preparing"));
        int concurrency = Math.Max(1, service.Options.MaxConcurrentUploads);
        foreach (var layer in layers.Skip(concurrency))
            progress.Report(new RegistryProgress(Digest.Short(layer.DiffId), "Waiting"));
        using var slots = new SemaphoreSlim(concurrency);
        await Task.WhenAll(layers.Select(async layer =>
        {
            await slots.WaitAsync(ct);
            try
            {
                await PushLayerAsync(client, layer, mountSources, progress, ct);
            }
            finally
            {
                slots.Release();
            }
        }));
        await client.PushBlobAsync(content.ConfigBytes, content.Id, ct);
        string digest = await client.PutManifestAsync(tag, manifest, mediaType, ct);
        progress.Report(new RegistryProgress(null, $"{tag}: digest: {digest} size: {manifest.Length}"));
        return new PushResult(tag, digest, manifest.Length);
    }

    private static async Task PushLayerAsync(RegistryClient client, ImageContentLayer layer, IReadOnlyList<string> mountSources, IProgress<RegistryProgress> progress, CancellationToken ct)
    {
        string id = Digest.Short(layer.DiffId);
        if (await client.BlobExistsAsync(layer.Digest, ct))
        {
            progress.Report(new RegistryProgress(id, "Layer already exists"));
            return;
        }
        // A mount the registry declines (202) starts an upload session instead: that one is used.
        var location = mountSources.Count > 0
            ? await client.StartUploadAsync(layer.Digest, mountSources[0], ct)
            : await client.StartUploadAsync(null, null, ct);
        if (location is null)
        {
            progress.Report(new RegistryProgress(id, $"Mounted from {mountSources[0]}"));
            return;
        }
        var file = new FileStream(layer.BlobPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var counted = new ProgressStream(file, n => progress.Report(new RegistryProgress(id, "Pushing", n, layer.Size)));
        await client.UploadAsync(location, counted, layer.Size, layer.Digest, ct);
        progress.Report(new RegistryProgress(id, "Pushed"));
    }

    /// <summary>Other repositories of the same registry that name this image (its pulls and pushes): blobs can be mounted from them.</summary>
    private static List<string> MountSources(Image image, ImageReference target) =>
        image.RepoTags.Concat(image.RepoDigests)
            .Select(name => ImageReference.TryParse(name, out var r) ? r : null)
            .OfType<ImageReference>()
            .Where(r => r.Domain == target.Domain && r.Path != target.Path)
            .Select(r => r.Path)
            .Distinct()
            .Take(3)
            .ToList();
}
