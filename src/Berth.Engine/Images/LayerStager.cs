using System.IO.Compression;
using Microsoft.Extensions.Logging;
using SharpCompress.Common;
using SharpCompress.Compressors.ZStandard;

namespace Berth.Engine.Images;

/// <summary>
/// One pass over a layer blob: the bytes are hashed (the blob digest) while written to a temp blob file,
/// and at the same time decompressed, hashed again (the DiffID) and unpacked into a temp layer directory.
/// Whiteouts need no lower layer for overlayfs, so every layer can be unpacked on its own, in any order.
/// </summary>
internal static class LayerStager
{
    /// <param name="expectedSize">The blob's length, checked at its end; -1 when the source's length is not known (import, commit).</param>
    public static StagedLayer Stage(string entryName, Stream data, ReadOnlyMemory<byte> head, LayerFormat format, long expectedSize,
        StagingArea staging, ILogger logger, Action<long>? progress, CancellationToken ct)
    {
        var (blobPath, handle) = staging.CreateBlobFile();
        string directory = staging.CreateLayerDirectory();
        using (handle)
        using (var blob = new HashingStream(new PrefixedStream(head, data), handle, progress))
        {
            var (diffId, unpackedSize) = Unpack(blob, format, entryName, directory, staging.UnpackedSize, logger, ct);
            string digest = blob.DrainAndGetDigest();
            if (expectedSize >= 0 && blob.BytesRead != expectedSize)
                throw new ImageFormatException($"archive entry `{entryName}` is truncated: {blob.BytesRead} of {expectedSize} bytes");
            return new StagedLayer
            {
                EntryName = entryName,
                BlobPath = blobPath,
                Digest = digest,
                Size = blob.BytesRead,
                DiffId = diffId,
                UnpackedSize = unpackedSize,
                Format = format,
                Directory = directory,
            };
        }
    }

    /// <summary>Unpacks an already verified blob once more, into a new temp directory (a layer used at a second chain position).</summary>
    public static string UnpackAgain(StagedLayer layer, StagingArea staging, ILogger logger, CancellationToken ct)
    {
        string directory = staging.CreateLayerDirectory();
        using var file = new FileStream(layer.BlobPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var blob = new HashingStream(file);
        Unpack(blob, layer.Format, layer.EntryName, directory, staging.UnpackedSize, logger, ct);
        return directory;
    }

    private static (string DiffId, long UnpackedSize) Unpack(HashingStream blob, LayerFormat format, string entryName, string directory,
        UnpackedSizeBudget budget, ILogger logger, CancellationToken ct)
    {
        Stream tar = format switch
        {
            LayerFormat.Gzip => new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true),
            LayerFormat.Zstd => new DecompressionStream(blob, bufferSize: 0, checkEndOfStream: true, leaveOpen: true),
            _ => blob,
        };
        try
        {
            using var uncompressed = new HashingStream(tar);
            long size = new LayerUnpacker(Path.Combine(directory, LayerStore.DiffDirectoryName), entryName, logger, budget).Unpack(uncompressed, ct);
            return (uncompressed.DrainAndGetDigest(), size);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or SharpCompressException)
        {
            throw new ImageFormatException($"layer `{entryName}` is corrupt or truncated ({format.ToString().ToLowerInvariant()}): {e.Message}", e);
        }
        finally
        {
            if (tar != blob)
                tar.Dispose();
        }
    }
}
