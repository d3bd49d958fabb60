using Berth.Common;
using Berth.Engine.Images;
using Microsoft.Extensions.Logging;

namespace Berth.Registry;

/// <summary>
/// docker pull (moby distribution/pull_v2.go): resolve the tag or digest to a manifest (through an index to the
/// platform's manifest), fetch and verify the config, then the layers not already present, a few at a time, each
/// verified and unpacked while it streams (<see cref="ImageIngest"/>), and commit the image with its tag and repo
/// digest. Progress messages are Docker's, per layer keyed by the layer digest's short form.
/// </summary>
public sealed class ImagePuller(RegistryService service, ImageStore store)
{
    public async Task<PullResult> PullAsync(ImageReference reference, RegistryCredentials? credentials, ManifestPlatform? platform,
        IProgress<RegistryProgress> progress, CancellationToken ct)
    {
        string tagOrDigest = reference.Digest ?? reference.Tag ?? ImageReference.DefaultTag;
        var (client, bytes, mediaType, digest) = await ResolveAsync(reference, credentials, tagOrDigest, ct);
        var top = digest;
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = RegistryJsonContext.Parse(bytes, RegistryJsonContext.Default.ManifestDocument, "index");
            var wanted = platform ?? PlatformMatcher.Host;
            var entry = PlatformMatcher.Select(index.Manifests ?? [], wanted)
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"no matching manifest for {wanted} in the manifest list entries");
            (bytes, mediaType, digest) = await client.GetManifestAsync(entry.Digest, ct);
        }
        if (MediaTypes.IsSchema1(mediaType))
            throw new RegistryException(RegistryErrorKind.InvalidParameter,
                $"[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. Suggest the author of {reference.FamiliarString} to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/");
        if (!MediaTypes.IsImageManifest(mediaType))
            throw new RegistryException(RegistryErrorKind.InvalidParameter, $"unsupported manifest media type {mediaType} for {reference.FamiliarString}");
        var manifest = RegistryJsonContext.Parse(bytes, RegistryJsonContext.Default.ManifestDocument, "manifest");
        var layers = manifest.Layers ?? [];
        if (manifest.Config is not { } configDescriptor || layers.Any(l => !Digest.IsSha256(l.Digest) || l.Size < 0) || !Digest.IsSha256(configDescriptor.Digest))
            throw new RegistryException(RegistryErrorKind.Unavailable, $"the manifest of {reference.FamiliarString} is invalid: a config or layer descriptor is missing or malformed");
        // As moby: nothing is streamed before the manifest is resolved, so a missing tag is a plain 404.
        progress.Report(new RegistryProgress(tagOrDigest, $"Pulling from {reference.Path}"));
        byte[] config = store.TryReadConfig(configDescriptor.Digest) ?? await client.GetBlobBytesAsync(configDescriptor.Digest, configDescriptor.Size, ct);

        using var ingest = store.BeginIngest(config);
        if (ingest.DiffIds.Count != layers.Count)
            throw new RegistryException(RegistryErrorKind.Unavailable, $"the manifest of {reference.FamiliarString} has {layers.Count} layers but its config {ingest.DiffIds.Count} diff_ids");
        await FetchLayersAsync(client, ingest, layers, progress, ct);
        var references = new List<ImageReference> { reference.WithDigest(top) };
        if (reference.Digest is null)
            references.Insert(0, reference.WithTag(tagOrDigest));
        var (image, changed) = ingest.Commit(layers.Select(l => (l.Digest, l.Size)).ToList(), digest, bytes, references, ct);
        progress.Report(new RegistryProgress(null, $"Digest: {top}"));
        progress.Report(new RegistryProgress(null, changed
            ? $"Status: Downloaded newer image for {reference.FamiliarString}"
            : $"Status: Image is up to date for {reference.FamiliarString}"));
        return new PullResult(image, top, changed);
    }

    /// <summary>
    /// The manifest from the first endpoint that has it: the mirrors of docker.io in order, then the Hub (moby falls back
    /// the same way while nothing is downloaded yet). A mirror that is down or lacks the image is logged and skipped;
    /// the last endpoint's error is the pull's.
    /// </summary>
    private async Task<(RegistryClient Client, byte[] Bytes, string MediaType, string Digest)> ResolveAsync(
        ImageReference reference, RegistryCredentials? credentials, string tagOrDigest, CancellationToken ct)
    {
        var clients = service.OpenForPull(reference, credentials).ToList();
        for (int i = 0; ; i++)
        {
            try
            {
                var (bytes, mediaType, digest) = await clients[i].GetManifestAsync(tagOrDigest, ct);
                return (clients[i], bytes, mediaType, digest);
            }
            catch (Exception e) when (i < clients.Count - 1 && e is RegistryException or HttpRequestException && !ct.IsCancellationRequested)
            {
                service.Logger.LogInformation("Mirror {Mirror} did not serve {Reference}, trying the next: {Error}", clients[i].Endpoint.Host, reference, e.Message);
            }
        }
    }

    /// <summary>
    /// "Already exists" for layers in the store; the others "Pulling fs layer", then downloaded
    /// <see cref="RegistryOptions.MaxConcurrentDownloads"/> at a time (the rest "Waiting"), each distinct blob once.
    /// </summary>
    private async Task FetchLayersAsync(RegistryClient client, ImageIngest ingest, List<ManifestDescriptor> layers, IProgress<RegistryProgress> progress, CancellationToken ct)
    {
        var missing = new List<(ManifestDescriptor Layer, string DiffId)>();
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (ingest.HasLayer(i, layer.Digest))
                progress.Report(new RegistryProgress(Digest.Short(layer.Digest), "Already exists"));
            else if (!missing.Any(m => m.Layer.Digest == layer.Digest))
            {
                missing.Add((layer, ingest.DiffIds[i]));
                progress.Report(new RegistryProgress(Digest.Short(layer.Digest), "Pulling fs layer"));
            }
        }
        int concurrency = Math.Max(1, service.Options.MaxConcurrentDownloads);
        foreach (var (layer, _) in missing.Skip(concurrency))
            progress.Report(new RegistryProgress(Digest.Short(layer.Digest), "Waiting"));
        using var slots = new SemaphoreSlim(concurrency);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var downloads = missing.Select(async m =>
        {
            await slots.WaitAsync(failed.Token);
            try
            {
                await DownloadAsync(client, ingest, m.Layer, m.DiffId, progress, failed.Token);
            }
            catch
            {
                failed.Cancel();
                throw;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        try
        {
            await Task.WhenAll(downloads);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // One download failed and cancelled the others: its error is the one to report.
            throw downloads.Where(d => d.IsFaulted).Select(d => d.Exception!.InnerException!).First();
        }
    }

    /// <summary>
    /// One layer: the body streams through the store's verifier and unpacker on a thread of its own (the unpacker
    /// reads synchronously). Downloading and extracting are one pass, so "Extracting" follows "Download complete" at once.
    /// </summary>
    private static async Task DownloadAsync(RegistryClient client, ImageIngest ingest, ManifestDescriptor layer, string diffId, IProgress<RegistryProgress> progress, CancellationToken ct)
    {
        string id = Digest.Short(layer.Digest);
        using var response = await client.OpenBlobAsync(layer.Digest, ct);
        var body = await response.Content.ReadAsStreamAsync(ct);
        using var counted = new ProgressStream(body, n => progress.Report(new RegistryProgress(id, "Downloading", n, layer.Size)));
        progress.Report(new RegistryProgress(id, "Downloading", 0, layer.Size));
        try
        {
            await Task.Factory.StartNew(() =>
            {
                using var abort = ct.Register(counted.Dispose);
                ingest.AddLayer(counted, layer.Digest, layer.Size, diffId, null, ct);
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            throw new RegistryException(RegistryErrorKind.Unavailable, $"downloading layer {layer.Digest}: {e.Message}", e);
        }
        catch (ImageFormatException e)
        {
            throw new RegistryException(RegistryErrorKind.Unavailable, $"layer {layer.Digest} from {client.Endpoint.Domain}/{client.Repository}: {e.Message}", e);
        }
        progress.Report(new RegistryProgress(id, "Verifying Checksum"));
        progress.Report(new RegistryProgress(id, "Download complete"));
        progress.Report(new RegistryProgress(id, "Extracting", layer.Size, layer.Size));
        progress.Report(new RegistryProgress(id, "Pull complete"));
    }
}
