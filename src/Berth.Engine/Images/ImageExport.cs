using System.Formats.Tar;
using System.Text.Json;
using Berth.Common;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Images;

/// <summary>
/// A `docker save` archive in the layout of Docker 25 and later (moby image/tarexport/save.go): an OCI image layout
/// (<c>oci-layout</c>, <c>index.json</c> with one manifest descriptor per tag, <c>blobs/sha256/</c>) plus the legacy
/// <c>manifest.json</c> and <c>repositories</c>, so that `docker load` of any version since 1.10, skopeo's
/// <c>docker-archive:</c> and <c>oci-archive:</c> all read it. Layer blobs go out as stored (a layer loaded gzip
/// stays gzip, with the matching media type), streamed from handles opened when the export was made: nothing is
/// buffered but the small JSON files. Each blob is written once however many images share it.
/// </summary>
public sealed class ImageExport : IDisposable
{
    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";
    private const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    private static readonly UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly List<Item> _items;
    private readonly Dictionary<string, SafeFileHandle> _layers;

    private readonly Action<ImageExport> _written;

    private ImageExport(List<Item> items, Dictionary<string, SafeFileHandle> layers, Action<ImageExport> written)
    {
        _items = items;
        _layers = layers;
        _written = written;
    }

    /// <summary>The images in the archive, in the order asked, with the tags written for each.</summary>
    public IReadOnlyList<(Image Image, IReadOnlyList<ImageReference> Tags)> Images => _items.Select(i => (i.Image, (IReadOnlyList<ImageReference>)i.Tags)).ToList();

    internal sealed record Item(Image Image, List<ImageReference> Tags, byte[] Config, List<(LayerBlobRecord Blob, string Path)> Layers);

    /// <summary>Opens every layer blob now (a later rmi cannot cut the archive short); <paramref name="written"/> runs after each complete write.</summary>
    internal static ImageExport Open(List<Item> items, Action<ImageExport> written)
    {
        var layers = new Dictionary<string, SafeFileHandle>(StringComparer.Ordinal);
        try
        {
            foreach (var (blob, path) in items.SelectMany(i => i.Layers))
                if (!layers.ContainsKey(blob.Digest))
                    layers[blob.Digest] = File.OpenHandle(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch
        {
            foreach (var handle in layers.Values)
                handle.Dispose();
            throw;
        }
        return new ImageExport(items, layers, written);
    }

    public async Task WriteToAsync(Stream destination, CancellationToken ct = default)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await WriteDirectoryAsync(writer, "blobs/", ct);
        await WriteDirectoryAsync(writer, "blobs/sha256/", ct);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var index = new List<OciDescriptor>();
        var manifests = new List<DockerManifestEntry>();
        var repositories = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var item in _items)
        {
            foreach (var (blob, _) in item.Layers)
            {
                if (!written.Add(blob.Digest))
                    continue;
                var handle = _layers[blob.Digest];
                await using var data = new FileStream(handle, FileAccess.Read, 1 << 16);
                await WriteFileAsync(writer, BlobPath(blob.Digest), data, ct);
            }
            if (written.Add(item.Image.Id))
                await WriteFileAsync(writer, BlobPath(item.Image.Id), new MemoryStream(item.Config), ct);
            byte[] manifest = JsonSerializer.SerializeToUtf8Bytes(Manifest(item), ImageJsonContext.Default.OciManifest);
            string manifestDigest = Digest.Of(manifest);
            if (written.Add(manifestDigest))
                await WriteFileAsync(writer, BlobPath(manifestDigest), new MemoryStream(manifest), ct);
            index.AddRange(IndexEntries(item, manifestDigest, manifest.Length));
            manifests.Add(new DockerManifestEntry
            {
                Config = BlobPath(item.Image.Id),
                RepoTags = item.Tags.Select(t => t.FamiliarString).ToList(),
                Layers = item.Layers.Select(l => BlobPath(l.Blob.Digest)).ToList(),
            });
            foreach (var tag in item.Tags.Where(_ => item.Layers.Count > 0))
            {
                if (!repositories.TryGetValue(tag.FamiliarName, out var repository))
                    repositories[tag.FamiliarName] = repository = new Dictionary<string, string>(StringComparer.Ordinal);
                repository[tag.Tag!] = Digest.Hex(item.Layers[^1].Blob.Digest, "layer");
            }
        }
        var indexFile = new OciIndex { SchemaVersion = 2, MediaType = OciIndex.OciMediaType, Manifests = index };
        await WriteFileAsync(writer, "index.json", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(indexFile, ImageJsonContext.Default.OciIndex)), ct);
        await WriteFileAsync(writer, "manifest.json", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifests, ImageJsonContext.Default.ListDockerManifestEntry)), ct);
        await WriteFileAsync(writer, "oci-layout", new MemoryStream("{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray()), ct);
        if (repositories.Count > 0)
            await WriteFileAsync(writer, "repositories", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(repositories, ImageJsonContext.Default.DictionaryStringDictionaryStringString)), ct);
        await writer.DisposeAsync();
        _written(this);
    }

    public void Dispose()
    {
        foreach (var handle in _layers.Values)
            handle.Dispose();
    }

    private OciManifest Manifest(Item item) => new()
    {
        SchemaVersion = 2,
        MediaType = OciManifest.OciMediaType,
        Config = new OciDescriptor { MediaType = ConfigMediaType, Digest = item.Image.Id, Size = item.Config.Length },
        Layers = item.Layers.Select(l => new OciDescriptor { MediaType = MediaTypeOf(l.Blob), Digest = l.Blob.Digest, Size = l.Blob.Size }).ToList(),
    };

    /// <summary>One descriptor per tag, named as containerd names images; one without a name for an untagged image.</summary>
    private static IEnumerable<OciDescriptor> IndexEntries(Item item, string manifestDigest, long size)
    {
        if (item.Tags.Count == 0)
            return [new OciDescriptor { MediaType = OciManifest.OciMediaType, Digest = manifestDigest, Size = size }];
        return item.Tags.Select(tag => new OciDescriptor
        {
            MediaType = OciManifest.OciMediaType,
            Digest = manifestDigest,
            Size = size,
            Annotations = new Dictionary<string, string>
            {
                ["io.containerd.image.name"] = tag.ToString(),
                ["org.opencontainers.image.ref.name"] = tag.Tag!,
            },
        });
    }

    private static string MediaTypeOf(LayerBlobRecord blob) => blob.Compression switch
    {
        "gzip" => LayerMediaType + "+gzip",
        "zstd" => LayerMediaType + "+zstd",
        _ => LayerMediaType,
    };

    private static string BlobPath(string digest) => "blobs/sha256/" + Digest.Hex(digest, "blob");

    private static Task WriteDirectoryAsync(TarWriter writer, string name, CancellationToken ct) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name) { Mode = DirectoryMode, ModificationTime = DateTimeOffset.UnixEpoch }, ct);

    private static Task WriteFileAsync(TarWriter writer, string name, Stream data, CancellationToken ct) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = FileMode, ModificationTime = DateTimeOffset.UnixEpoch, DataStream = data }, ct);
}
