using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using SharpCompress.Common;
using SharpCompress.Compressors.ZStandard;
using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>
/// Reads an image archive (`docker save` output or an OCI layout tar) once, in order, from a stream that
/// need not be seekable: small files are kept in memory, and every entry that looks like a layer is
/// stored, hashed and unpacked while it streams past (see <see cref="LayerStager"/>). Nothing is verified
/// against manifests here, because manifest.json usually comes after the layers.
/// </summary>
internal sealed class ImageArchiveReader
{
    /// <summary>The largest non-layer entry kept in memory (manifests, configs, index.json).</summary>
    public const int DefaultMetadataLimit = 16 << 20;

    private readonly StagingArea _staging;
    private readonly ILogger _logger;
    private readonly IProgress<ImageLoadProgress>? _progress;
    private readonly CancellationToken _ct;
    private string _lastEntry = "(start)";

    public ImageArchiveReader(StagingArea staging, ILogger logger, IProgress<ImageLoadProgress>? progress, CancellationToken ct)
    {
        _staging = staging;
        _logger = logger;
        _progress = progress;
        _ct = ct;
    }

    public int MetadataLimit { get; init; } = DefaultMetadataLimit;

    public ArchiveContents Read(Stream archive)
    {
        var contents = new ArchiveContents(_staging, _logger);
        using var input = Decompress(archive);
        using var reader = new TarReader(input, leaveOpen: true);
        while (NextEntry(reader) is { } entry)
        {
            _ct.ThrowIfCancellationRequested();
            Add(contents, entry);
            _lastEntry = entry.Name;
        }
        return contents;
    }

    /// <summary>`docker load` also takes a gzip- or zstd-compressed archive (moby archive.DecompressStream).</summary>
    internal static Stream Decompress(Stream archive)
    {
        var head = new byte[4];
        int n = archive.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        Stream input = new PrefixedStream(head.AsMemory(0, n), archive);
        return LayerSniffer.Detect(head.AsSpan(0, n)) switch
        {
            LayerFormat.Gzip => new GZipStream(input, CompressionMode.Decompress),
            LayerFormat.Zstd => new DecompressionStream(input, bufferSize: 0, checkEndOfStream: true, leaveOpen: false),
            _ => input,
        };
    }

    private TarEntry? NextEntry(TarReader reader)
    {
        try
        {
            return reader.GetNextEntry();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or SharpCompressException)
        {
            // The reader's own words ("TarInvalidNumber") tell a user nothing: say what the file is not.
            if (_lastEntry == "(start)")
                throw new ImageFormatException("the file is not a tar archive (nor gzip, zstd): `berth load` takes the output of `docker save` or an OCI image layout tar", e);
            throw new ImageFormatException($"the archive is truncated or corrupt after entry `{_lastEntry}`", e);
        }
    }

    private void Add(ArchiveContents contents, TarEntry entry)
    {
        if (!EntryPath.TryNormalise(entry.Name, out string name, out string? problem))
            throw new ImageFormatException($"archive entry `{entry.Name}` {problem}");
        switch (entry.EntryType)
        {
            case TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes:
                return;
            case TarEntryType.SymbolicLink:
                contents.AddLink(name, LinkTarget(entry, name));
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                AddFile(contents, entry, name);
                return;
            default:
                throw new ImageFormatException($"archive entry `{entry.Name}` is a {entry.EntryType}, not a regular file");
        }
    }

    /// <summary>A symlink between archive entries, resolved relative to its directory; it must stay inside the archive.</summary>
    private static string LinkTarget(TarEntry entry, string name)
    {
        if (entry.LinkName.StartsWith('/'))
            throw new ImageFormatException($"archive entry `{entry.Name}` is a symlink to `{entry.LinkName}`, outside the archive");
        var parts = new List<string>();
        foreach (string part in EntryPath.Join(EntryPath.Split(name).Parent, entry.LinkName).Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw new ImageFormatException($"archive entry `{entry.Name}` is a symlink to `{entry.LinkName}`, outside the archive");
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part is not ("" or "."))
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }

    private void AddFile(ArchiveContents contents, TarEntry entry, string name)
    {
        Stream data = entry.DataStream ?? Stream.Null;
        var head = new byte[LayerSniffer.HeadSize];
        int n = ReadHead(data, head, entry.Name);
        if (LayerSniffer.Detect(head.AsSpan(0, n)) is { } format)
        {
            var layer = LayerStager.Stage(name, data, head.AsMemory(0, n), format, entry.Length, _staging, _logger, Reporter(name, entry.Length), _ct);
            _progress?.Report(new ImageLoadProgress(ImageLoadProgressKind.LayerDone, name, layer.DiffId, layer.Size, layer.Size));
            contents.AddLayer(name, layer);
            return;
        }
        if (entry.Length > MetadataLimit)
            throw new ImageFormatException($"archive entry `{entry.Name}` ({entry.Length} bytes) is neither a layer (tar, gzip or zstd) nor a metadata file of at most {MetadataLimit} bytes");
        contents.AddFile(name, ReadSmallFile(data, head.AsSpan(0, n), entry));
    }

    private static int ReadHead(Stream data, byte[] head, string entryName)
    {
        try
        {
            return data.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (EndOfStreamException e)
        {
            throw new ImageFormatException($"archive is truncated in entry `{entryName}`", e);
        }
    }

    private static byte[] ReadSmallFile(Stream data, ReadOnlySpan<byte> head, TarEntry entry)
    {
        var content = new byte[entry.Length];
        head.CopyTo(content);
        int read = head.Length;
        try
        {
            if (read < content.Length)
                read += data.ReadAtLeast(content.AsSpan(read), content.Length - read, throwOnEndOfStream: false);
        }
        catch (EndOfStreamException e)
        {
            throw new ImageFormatException($"archive is truncated in entry `{entry.Name}`", e);
        }
        if (read != content.Length)
            throw new ImageFormatException($"archive is truncated in entry `{entry.Name}`: {read} of {content.Length} bytes");
        return content;
    }

    private Action<long>? Reporter(string name, long total) =>
        _progress is null ? null : bytes => _progress.Report(new ImageLoadProgress(ImageLoadProgressKind.LayerProgress, name, null, bytes, total));
}
