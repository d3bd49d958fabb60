using Microsoft.Extensions.Logging;
using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>
/// An OCI image layout (image-spec image-layout.md): index.json lists manifests, or nested indexes
/// (multi-platform images), whose blobs live under <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>. Every descriptor's
/// digest and size are checked. From an index that names platforms, linux/amd64 is taken.
/// Tags come from the annotations `docker save` and containerd write on the top-level descriptors.
/// </summary>
internal sealed class OciIndexResolver
{
    public const string FileName = "index.json";
    private const string ImageNameAnnotation = "io.containerd.image.name";
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private const int MaxDepth = 4;

    private readonly ArchiveContents _contents;
    private readonly ILogger _logger;
    private readonly List<ImageCandidate> _candidates = [];

    private OciIndexResolver(ArchiveContents contents, ILogger logger)
    {
        _contents = contents;
        _logger = logger;
    }

    public static IReadOnlyList<ImageCandidate> Resolve(ArchiveContents contents, byte[] json, ILogger logger)
    {
        var index = ImageJsonContext.Parse(json, ImageJsonContext.Default.OciIndex, FileName);
        var resolver = new OciIndexResolver(contents, logger);
        foreach (var descriptor in SelectPlatform(index.Manifests, FileName))
            resolver.Walk(descriptor, resolver.TagsOf(descriptor), FileName, 0);
        return resolver._candidates;
    }

    private void Walk(OciDescriptor descriptor, IReadOnlyList<ImageReference> tags, string parent, int depth)
    {
        byte[] data = ReadBlob(descriptor, parent);
        string where = $"manifest `{descriptor.Digest}`";
        var manifest = ImageJsonContext.Parse(data, ImageJsonContext.Default.OciManifest, where);
        if (IsIndex(descriptor, manifest))
        {
            if (depth == MaxDepth)
                throw new ImageFormatException($"index `{descriptor.Digest}` nests indexes more than {MaxDepth} deep");
            foreach (var child in SelectPlatform(manifest.Manifests, $"index `{descriptor.Digest}`"))
                Walk(child, tags, $"index `{descriptor.Digest}`", depth + 1);
            return;
        }
        if (manifest.Config is null)
            throw new ImageFormatException($"{where} has no config");
        _candidates.Add(new ImageCandidate
        {
            Source = where,
            ConfigName = BlobName(manifest.Config, where),
            ConfigBytes = ReadBlob(manifest.Config, where),
            Layers = (manifest.Layers ?? []).Select(layer => new CandidateLayer(BlobName(layer, where), layer.Digest, layer.Size > 0 ? layer.Size : null)).ToList(),
            Tags = tags,
            ManifestDigest = descriptor.Digest,
            ManifestBytes = data,
        });
    }

    private static bool IsIndex(OciDescriptor descriptor, OciManifest manifest) =>
        (descriptor.MediaType ?? manifest.MediaType) is OciIndex.OciMediaType or OciIndex.DockerMediaType
        || (descriptor.MediaType is null && manifest.MediaType is null && manifest.Manifests is not null);

    /// <summary>
    /// When an index names platforms, only its linux/amd64 entries count (attestation manifests, marked
    /// unknown/unknown, drop out too); an index without platforms is a list of images, all taken.
    /// </summary>
    private static IEnumerable<OciDescriptor> SelectPlatform(List<OciDescriptor>? descriptors, string where)
    {
        if (descriptors is null || descriptors.Count == 0)
            throw new ImageFormatException($"{where} lists no manifests");
        if (descriptors.All(d => d.Platform is null))
            return descriptors;
        var matching = descriptors.Where(d => d.Platform is { Os: "linux", Architecture: "amd64" }).ToList();
        if (matching.Count == 0)
        {
            string platforms = string.Join(", ", descriptors.Select(d => d.Platform?.ToString() ?? "unspecified"));
            throw new ImageFormatException($"{where} has no linux/amd64 manifest (it has {platforms})");
        }
        return matching;
    }

    private byte[] ReadBlob(OciDescriptor descriptor, string where)
    {
        string name = BlobName(descriptor, where);
        byte[] data = _contents.ReadFile(name)
            ?? throw new ImageFormatException($"{where} names blob `{descriptor.Digest}`, which is not in the archive");
        if (Digest.Of(data) is var actual && actual != descriptor.Digest)
            throw new ImageFormatException($"blob `{name}` does not match its digest: the content is {actual}");
        if (descriptor.Size > 0 && descriptor.Size != data.Length)
            throw new ImageFormatException($"blob `{name}` has {data.Length} bytes but {where} says {descriptor.Size}");
        return data;
    }

    private static string BlobName(OciDescriptor descriptor, string where) =>
        "blobs/sha256/" + Digest.Hex(descriptor.Digest, $"a descriptor in {where}");

    private IReadOnlyList<ImageReference> TagsOf(OciDescriptor descriptor)
    {
        var annotations = descriptor.Annotations ?? [];
        string? name = annotations.GetValueOrDefault(ImageNameAnnotation);
        // ref.name is often just a tag ("latest"), which names no repository; only a full reference counts.
        if (name is null && annotations.GetValueOrDefault(RefNameAnnotation) is { } refName && (refName.Contains('/') || refName.Contains(':')))
            name = refName;
        if (name is null)
            return [];
        if (ImageReference.TryParse(name, out var reference) && reference.Digest is null)
            return [reference];
        _logger.LogWarning("index.json: ignoring invalid image name {Name} of manifest {Digest}", name, descriptor.Digest);
        return [];
    }
}
