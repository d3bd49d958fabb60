using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// `voltest:latest`: the busybox fixture plus one layer with files of other owners and modes (and an xattr) under
/// /data, and <c>VOLUME /data</c> in its config, written as a docker archive (manifest.json) for the engine to load.
/// </summary>
public static class VolumeTestImage
{
    public const string Name = "voltest";

    public static string Write(string busyboxArchive, string directory)
    {
        var blobs = new Dictionary<string, byte[]>();
        using (var reader = new TarReader(File.OpenRead(busyboxArchive)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null)
                    continue;
                using var copy = new MemoryStream();
                entry.DataStream.CopyTo(copy);
                blobs[entry.Name] = copy.ToArray();
            }
        }
        var manifest = JsonNode.Parse(blobs["manifest.json"])!.AsArray()[0]!;
        string baseLayer = manifest["Layers"]![0]!.GetValue<string>();
        var config = JsonNode.Parse(blobs[manifest["Config"]!.GetValue<string>()])!;

        byte[] layer = Layer();
        config["rootfs"]!["diff_ids"]!.AsArray().Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer)));
        config["history"]?.AsArray().Add(new JsonObject { ["created_by"] = "ADD data /data" });
        config["config"]!["Volumes"] = new JsonObject { ["/data"] = new JsonObject() };
        byte[] configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        string configName = Convert.ToHexStringLower(SHA256.HashData(configBytes)) + ".json";

        var newManifest = new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray(Name + ":latest"),
            ["Layers"] = new JsonArray(baseLayer, "data/layer.tar"),
        });
        string path = Path.Combine(directory, "voltest.tar");
        using var output = File.Create(path);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        void Add(string name, byte[] data) => writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        Add(baseLayer, blobs[baseLayer]);
        Add("data/layer.tar", layer);
        Add(configName, configBytes);
        Add("manifest.json", Encoding.UTF8.GetBytes(newManifest.ToJsonString()));
        return path;
    }

    /// <summary>/data (0755 root), /data/owned.txt (1000:1001, 0640, xattr user.berth=kept), /data/sub (1000:1000, 0700), /data/sub/deep.txt, /data/link -> owned.txt.</summary>
    private static byte[] Layer()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var time = new DateTimeOffset(2022, 1, 2, 3, 4, 5, TimeSpan.Zero);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "data/") { Mode = (UnixFileMode)0x1ED, ModificationTime = time });
            var owned = new PaxTarEntry(TarEntryType.RegularFile, "data/owned.txt", new Dictionary<string, string> { ["SCHILY.xattr.user.berth"] = "kept" })
            {
                Mode = (UnixFileMode)0x1A0, Uid = 1000, Gid = 1001, ModificationTime = time, DataStream = new MemoryStream("image file\n"u8.ToArray()),
            };
            writer.WriteEntry(owned);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "data/sub/") { Mode = (UnixFileMode)0x1C0, Uid = 1000, Gid = 1000, ModificationTime = time });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "data/sub/deep.txt") { Mode = (UnixFileMode)0x1A4, ModificationTime = time, DataStream = new MemoryStream("deep\n"u8.ToArray()) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "data/link") { LinkName = "owned.txt", Mode = (UnixFileMode)0x1FF, ModificationTime = time });
        }
        return buffer.ToArray();
    }
}
