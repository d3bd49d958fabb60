using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Berth.Bench;

/// <summary>
/// The image of benchmark 4: Debian bookworm minbase (debootstrap, bench/debian-rootfs.sh) as one uncompressed layer in
/// a `docker save` archive of the kind Docker 25 and later write (an OCI layout plus manifest.json and repositories),
/// which dockerd 20.10 and podman load too. Built once and cached next to the rootfs.
/// </summary>
public sealed class DebianImageArchive
{
    public const string Reference = "debian-minbase:bench";

    private DebianImageArchive(string path, string layerEntry, long layerSize)
    {
        Path = path;
        LayerEntry = layerEntry;
        LayerSize = layerSize;
    }

    /// <summary>The archive.</summary>
    public string Path { get; }

    /// <summary>The layer's entry name in the archive (blobs/sha256/…).</summary>
    public string LayerEntry { get; }

    public long LayerSize { get; }

    public long ArchiveSize => new FileInfo(Path).Length;

    public static DebianImageArchive Ensure(BenchContext context)
    {
        string rootfs = Exec.Output(System.IO.Path.Combine(BenchPaths.RepositoryRoot, "bench", "debian-rootfs.sh"));
        string cache = System.IO.Path.GetDirectoryName(rootfs)!;
        string archive = System.IO.Path.Combine(cache, "debian-bookworm-minbase.tar");
        string stamp = archive + ".layer";
        if (File.Exists(archive) && File.Exists(stamp))
        {
            var parts = File.ReadAllText(stamp).Split(' ');
            return new DebianImageArchive(archive, parts[0], long.Parse(parts[1]));
        }
        context.Log("packing the Debian minbase image archive (once)");
        string layer = System.IO.Path.Combine(cache, "layer.tar.partial");
        var top = Directory.EnumerateFileSystemEntries(rootfs).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Exec.Checked(["tar", "--format=posix", "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime", "--numeric-owner",
            "--sort=name", "-C", rootfs, "-cf", layer, .. top!]);
        string layerHex = Sha256File(layer);
        long layerSize = new FileInfo(layer).Length;
        var created = "2024-01-01T00:00:00Z";
        var config = Bytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["created"] = created,
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                ["Cmd"] = new JsonArray("bash"),
            },
            ["history"] = new JsonArray(new JsonObject { ["created"] = created, ["created_by"] = "debootstrap --variant=minbase bookworm" }),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray("sha256:" + layerHex) },
        });
        string configHex = Convert.ToHexStringLower(SHA256.HashData(config));
        var manifest = Bytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = "sha256:" + configHex, ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar", ["digest"] = "sha256:" + layerHex, ["size"] = layerSize }),
        });
        string manifestHex = Convert.ToHexStringLower(SHA256.HashData(manifest));
        var index = Bytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = "sha256:" + manifestHex,
                ["size"] = manifest.Length,
                ["annotations"] = new JsonObject
                {
                    ["io.containerd.image.name"] = "docker.io/library/" + Reference,
                    ["org.opencontainers.image.ref.name"] = Reference.Split(':')[1],
                },
            }),
        });
        var dockerManifest = Bytes(new JsonArray(new JsonObject
        {
            ["Config"] = "blobs/sha256/" + configHex,
            ["RepoTags"] = new JsonArray(Reference),
            ["Layers"] = new JsonArray("blobs/sha256/" + layerHex),
        }));
        var repositories = Bytes(new JsonObject { [Reference.Split(':')[0]] = new JsonObject { [Reference.Split(':')[1]] = layerHex } });

        string partial = archive + ".partial";
        using (var output = File.Create(partial))
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar))
        {
            Write(tar, "blobs/", null);
            Write(tar, "blobs/sha256/", null);
            using (var layerStream = File.OpenRead(layer))
                Write(tar, "blobs/sha256/" + layerHex, layerStream);
            Write(tar, "blobs/sha256/" + configHex, new MemoryStream(config));
            Write(tar, "blobs/sha256/" + manifestHex, new MemoryStream(manifest));
            Write(tar, "index.json", new MemoryStream(index));
            Write(tar, "manifest.json", new MemoryStream(dockerManifest));
            Write(tar, "oci-layout", new MemoryStream("{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray()));
            Write(tar, "repositories", new MemoryStream(repositories));
        }
        File.Delete(layer);
        File.Move(partial, archive, overwrite: true);
        File.WriteAllText(stamp, $"blobs/sha256/{layerHex} {layerSize}");
        return new DebianImageArchive(archive, "blobs/sha256/" + layerHex, layerSize);
    }

    private static void Write(TarWriter tar, string name, Stream? data)
    {
        var entry = new UstarTarEntry(data is null ? TarEntryType.Directory : TarEntryType.RegularFile, name)
        {
            Mode = data is null ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
            ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        if (data is not null)
            entry.DataStream = data;
        tar.WriteEntry(entry);
    }

    private static byte[] Bytes(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

    private static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
