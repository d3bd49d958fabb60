using Microsoft.Extensions.Logging;

namespace Berth.Engine.Images;

/// <summary>
/// What one pass over an archive found: small files kept in memory, layers already staged, and
/// symlinks between entries (pre-25 `docker save` links a repeated <c>&lt;id&gt;/layer.tar</c> to the first copy).
/// </summary>
internal sealed class ArchiveContents
{
    private const int MaxLinkDepth = 8;
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StagedLayer> _layers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _digests = new(StringComparer.Ordinal);
    private readonly StagingArea _staging;
    private readonly ILogger _logger;

    public ArchiveContents(StagingArea staging, ILogger logger)
    {
        _staging = staging;
        _logger = logger;
    }

    public IEnumerable<StagedLayer> Layers => _layers.Values;

    public bool Contains(string name) => _files.ContainsKey(name) || _layers.ContainsKey(name) || _links.ContainsKey(name);

    public void AddFile(string name, byte[] data)
    {
        if (IsDuplicate(name, Digest.Of(data)))
            return;
        _files[name] = data;
    }

    public void AddLayer(string name, StagedLayer layer)
    {
        if (IsDuplicate(name, layer.Digest))
        {
            _staging.Delete(layer.BlobPath);
            _staging.Delete(layer.Directory!);
            return;
        }
        _layers[name] = layer;
    }

    public void AddLink(string name, string target)
    {
        if (IsDuplicate(name, "link:" + target))
            return;
        _links[name] = target;
    }

    /// <summary>An entry repeated with the same content is harmless (tar appends); with other content the archive is ambiguous.</summary>
    private bool IsDuplicate(string name, string digest)
    {
        if (!_digests.TryGetValue(name, out string? previous))
        {
            _digests[name] = digest;
            return false;
        }
        return previous == digest ? true : throw new ImageFormatException($"archive entry `{name}` appears twice with different content");
    }

    /// <summary>The content of a small file, following entry links; null when the archive has no such file.</summary>
    public byte[]? ReadFile(string name) => _files.GetValueOrDefault(Resolve(name));

    /// <summary>
    /// The staged layer for <paramref name="name"/>. An entry that did not look like a layer while streaming
    /// (too short to sniff, or an old tar without magic) is staged now from memory; one that is no tar at all
    /// and neither gzip nor zstd has an unknown compression.
    /// </summary>
    public StagedLayer? GetLayer(string name, CancellationToken ct)
    {
        string resolved = Resolve(name);
        if (_layers.TryGetValue(resolved, out var layer))
            return layer;
        if (!_files.TryGetValue(resolved, out byte[]? data))
            return null;
        LayerFormat format = LayerSniffer.Detect(data) ?? throw new ImageFormatException(
            $"layer `{name}` is not a tar archive and not gzip or zstd compressed (unknown compression; it starts with {Convert.ToHexString(data.AsSpan(0, Math.Min(8, data.Length)))})");
        layer = LayerStager.Stage(resolved, Stream.Null, data, format, data.Length, _staging, _logger, null, ct);
        _layers[resolved] = layer;
        return layer;
    }

    private string Resolve(string name)
    {
        for (int depth = 0; _links.TryGetValue(name, out string? target); depth++)
        {
            if (depth == MaxLinkDepth)
                throw new ImageFormatException($"archive entry `{name}` is a symlink loop");
            name = target;
        }
        return name;
    }
}
