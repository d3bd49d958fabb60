using System.Formats.Tar;
using System.IO.Compression;
using SharpCompress.Compressors.ZStandard;

namespace Berth.TestImages.Tests;

/// <summary>One entry of a layer tar, with its content.</summary>
internal sealed record LayerFile(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string LinkName, DateTimeOffset ModificationTime, byte[] Content)
{
    /// <summary>The uncompressed tar of a layer blob, compression sniffed from its magic bytes.</summary>
    public static byte[] Uncompress(byte[] blob)
    {
        Stream? decompressor = blob switch
        {
            [0x1F, 0x8B, ..] => new GZipStream(new MemoryStream(blob), CompressionMode.Decompress),
            [0x28, 0xB5, 0x2F, 0xFD, ..] => new DecompressionStream(new MemoryStream(blob)),
            _ => null,
        };
        if (decompressor is null)
            return blob;
        using (decompressor)
        {
            var tar = new MemoryStream();
            decompressor.CopyTo(tar);
            return tar.ToArray();
        }
    }

    public static List<LayerFile> Read(byte[] tar)
    {
        var files = new List<LayerFile>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            files.Add(new LayerFile(entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Gid, entry.LinkName,
                entry.ModificationTime, content.ToArray()));
        }
        return files;
    }
}
