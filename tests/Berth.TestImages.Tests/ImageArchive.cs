using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.TestImages.Tests;

/// <summary>An image archive read into memory: every regular file by name.</summary>
internal sealed class ImageArchive
{
    public required Dictionary<string, byte[]> Files { get; init; }

    public static ImageArchive Read(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(File.OpenRead(path));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            files.Add(entry.Name, data.ToArray());
        }
        return new ImageArchive { Files = files };
    }

    public JsonNode Json(string name) => JsonNode.Parse(Files[name])!;

    public string Text(string name) => Encoding.UTF8.GetString(Files[name]);

    /// <summary>The blob a descriptor points at, after checking its digest and size.</summary>
    public byte[] Blob(JsonNode descriptor)
    {
        var digest = (string)descriptor["digest"]!;
        Assert.That(digest, Does.StartWith("sha256:"));
        var blob = Files["blobs/sha256/" + digest["sha256:".Length..]];
        Assert.That("sha256:" + Hex.Sha256(blob), Is.EqualTo(digest), "blob digest");
        Assert.That(blob.LongLength, Is.EqualTo((long)descriptor["size"]!), $"size of {digest}");
        return blob;
    }
}
