using System.IO.Compression;
using SharpCompress.Compressors.ZStandard;

namespace Berth.TestImages;

internal static class LayerCompressor
{
    public static Blob Compress(byte[] tar, LayerCompression compression) => compression switch
    {
        LayerCompression.None => new Blob(MediaTypes.Layer, tar),
        LayerCompression.Gzip => new Blob(MediaTypes.LayerGzip, Gzip(tar)),
        LayerCompression.Zstd => new Blob(MediaTypes.LayerZstd, Zstd(tar)),
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    static byte[] Gzip(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    static byte[] Zstd(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var zstd = new CompressionStream(buffer, 3, 0, true))
            zstd.Write(data);
        return buffer.ToArray();
    }
}
