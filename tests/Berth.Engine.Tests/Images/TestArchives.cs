using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Engine.Tests.Images;

/// <summary>One entry of an outer archive; tests edit lists of these to make bad archives.</summary>
internal sealed record ArchiveFile(string Name, byte[] Data, TarEntryType Type = TarEntryType.RegularFile, string? LinkName = null);

/// <summary>The archive layouts the store loads, built in memory.</summary>
internal static class TestArchives
{
    public const string OciManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndexType = "application/vnd.oci.image.index.v1+json";
    public const string OciConfigType = "application/vnd.oci.image.config.v1+json";

    /// <summary>`docker save` of Docker 25+: blobs/sha256, index.json, manifest.json, oci-layout, repositories.</summary>
    public static List<ArchiveFile> DockerSave(params TestImage[] images)
    {
        var files = new List<ArchiveFile>();
        var index = new JsonArray();
        var manifest = new JsonArray();
        foreach (var image in images)
        {
            foreach (byte[] blob in image.LayerBlobs.Append(image.Config))
                AddOnce(files, Blob(blob), blob);
            byte[] ociManifest = Manifest(image);
            AddOnce(files, Blob(ociManifest), ociManifest);
            foreach (string tag in image.Tags.DefaultIfEmpty(""))
                index.Add(Descriptor(OciManifestType, ociManifest, tag.Length == 0 ? null : $"docker.io/library/{tag}"));
            manifest.Add(new JsonObject
            {
                ["Config"] = Blob(image.Config),
                ["RepoTags"] = Strings(image.Tags),
                ["Layers"] = Strings(image.LayerBlobs.Select(Blob)),
            });
        }
        files.Add(Json("index.json", new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciIndexType, ["manifests"] = index }));
        files.Add(Json("manifest.json", manifest));
        files.Add(new ArchiveFile("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray()));
        return files;
    }

    /// <summary>
    /// `docker save` before Docker 25: &lt;v1 id&gt;/{VERSION,json,layer.tar}, &lt;config hex&gt;.json, manifest.json,
    /// repositories. A layer seen before is a symlink to its first copy, as moby's saveLayer writes it.
    /// </summary>
    public static List<ArchiveFile> DockerSaveLegacy(params TestImage[] images)
    {
        var files = new List<ArchiveFile>();
        var manifest = new JsonArray();
        var repositories = new JsonObject();
        var firstCopy = new Dictionary<string, string>();
        foreach (var image in images)
        {
            var layerPaths = new List<string>();
            for (int i = 0; i < image.LayerTars.Count; i++)
            {
                string v1Id = TestTar.Hex(Encoding.UTF8.GetBytes($"{image.Id}/{i}"));
                string diffId = image.DiffIds[i];
                files.Add(new ArchiveFile($"{v1Id}/VERSION", "1.0"u8.ToArray()));
                files.Add(Json($"{v1Id}/json", new JsonObject { ["id"] = v1Id, ["created"] = "1970-01-01T00:00:00Z" }));
                if (firstCopy.TryGetValue(diffId, out string? first))
                    files.Add(new ArchiveFile($"{v1Id}/layer.tar", [], TarEntryType.SymbolicLink, $"../{first}"));
                else
                    files.Add(new ArchiveFile($"{v1Id}/layer.tar", image.LayerBlobs[i]));
                firstCopy.TryAdd(diffId, $"{v1Id}/layer.tar");
                layerPaths.Add($"{v1Id}/layer.tar");
            }
            files.Add(new ArchiveFile($"{TestTar.Hex(image.Config)}.json", image.Config));
            manifest.Add(new JsonObject { ["Config"] = $"{TestTar.Hex(image.Config)}.json", ["RepoTags"] = Strings(image.Tags), ["Layers"] = Strings(layerPaths) });
            foreach (string tag in image.Tags)
                repositories[tag.Split(':')[0]] = new JsonObject { [tag.Split(':')[1]] = layerPaths[^1].Split('/')[0] };
        }
        files.Add(Json("manifest.json", manifest));
        files.Add(Json("repositories", repositories));
        return files;
    }

    /// <summary>The oldest layout: only `repositories` and v1 layer directories chained by "parent".</summary>
    public static List<ArchiveFile> LegacyRepositories(IReadOnlyList<byte[]> layerTars, string repository, string tag)
    {
        var files = new List<ArchiveFile>();
        string? parent = null;
        for (int i = 0; i < layerTars.Count; i++)
        {
            string id = TestTar.Hex(Encoding.UTF8.GetBytes($"{repository}/{i}"));
            var json = new JsonObject
            {
                ["id"] = id,
                ["created"] = "2015-01-01T00:00:00Z",
                ["container_config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/sh", "-c", $"#(nop) layer {i}") },
                ["os"] = "linux",
            };
            if (parent is not null)
                json["parent"] = parent;
            if (i == layerTars.Count - 1)
            {
                json["architecture"] = "amd64";
                json["config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/sh"), ["WorkingDir"] = "/root" };
            }
            files.Add(Json($"{id}/json", json));
            files.Add(new ArchiveFile($"{id}/layer.tar", layerTars[i]));
            parent = id;
        }
        files.Add(Json("repositories", new JsonObject { [repository] = new JsonObject { [tag] = parent } }));
        return files;
    }

    /// <summary>An OCI image layout (skopeo, buildah): index.json → one manifest for <paramref name="image"/>.</summary>
    public static List<ArchiveFile> Oci(TestImage image, string? name = null) =>
        OciPlatforms(name, nested: false, ("linux", "amd64", image));

    /// <summary>
    /// An OCI image layout whose index.json names a nested multi-platform index (when <paramref name="nested"/>)
    /// with one manifest per platform, as `docker buildx` and containerd write them.
    /// </summary>
    public static List<ArchiveFile> OciPlatforms(string? name, bool nested, params (string Os, string Architecture, TestImage Image)[] platforms)
    {
        var files = new List<ArchiveFile>();
        var descriptors = new JsonArray();
        foreach (var (os, architecture, image) in platforms)
        {
            foreach (byte[] blob in image.LayerBlobs.Append(image.Config))
                AddOnce(files, Blob(blob), blob);
            byte[] manifest = Manifest(image);
            AddOnce(files, Blob(manifest), manifest);
            var descriptor = Descriptor(OciManifestType, manifest, nested ? null : name);
            if (nested)
                descriptor["platform"] = new JsonObject { ["os"] = os, ["architecture"] = architecture };
            descriptors.Add(descriptor);
        }
        if (nested)
        {
            byte[] index = Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciIndexType, ["manifests"] = descriptors }.ToJsonString());
            files.Add(new ArchiveFile(Blob(index), index));
            descriptors = new JsonArray(Descriptor(OciIndexType, index, name));
        }
        files.Add(new ArchiveFile("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray()));
        files.Add(Json("index.json", new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciIndexType, ["manifests"] = descriptors }));
        return files;
    }

    public static byte[] Manifest(TestImage image) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = OciManifestType,
        ["config"] = Descriptor(OciConfigType, image.Config, null),
        ["layers"] = new JsonArray(image.LayerBlobs.Select(b => (JsonNode)Descriptor("application/vnd.oci.image.layer.v1.tar" + image.Compression, b, null)).ToArray()),
    }.ToJsonString());

    public static JsonObject Descriptor(string mediaType, byte[] blob, string? name)
    {
        var descriptor = new JsonObject { ["mediaType"] = mediaType, ["digest"] = TestTar.Sha256(blob), ["size"] = blob.Length };
        if (name is not null)
            descriptor["annotations"] = new JsonObject { ["io.containerd.image.name"] = name, ["org.opencontainers.image.ref.name"] = name.Split(':')[^1] };
        return descriptor;
    }

    public static string Blob(byte[] data) => "blobs/sha256/" + TestTar.Hex(data);

    public static ArchiveFile Json(string name, JsonNode json) => new(name, Encoding.UTF8.GetBytes(json.ToJsonString()));

    /// <summary>The outer tar, entries in list order.</summary>
    public static byte[] Pack(IEnumerable<ArchiveFile> files)
    {
        var tar = new TestTar();
        foreach (var file in files)
        {
            var entry = new PaxTarEntry(file.Type, file.Name) { ModificationTime = TestTar.Epoch2020, Mode = (UnixFileMode)0x1A4 };
            if (file.LinkName is not null)
                entry.LinkName = file.LinkName;
            if (file.Type == TarEntryType.RegularFile)
                entry.DataStream = new MemoryStream(file.Data);
            tar.Add(entry);
        }
        return tar.Build();
    }

    /// <summary>Replaces the content of entry <paramref name="name"/>.</summary>
    public static List<ArchiveFile> With(this List<ArchiveFile> files, string name, byte[] data) =>
        files.Select(f => f.Name == name ? f with { Data = data } : f).ToList();

    public static List<ArchiveFile> Without(this List<ArchiveFile> files, string name) => files.Where(f => f.Name != name).ToList();

    private static void AddOnce(List<ArchiveFile> files, string name, byte[] data)
    {
        if (files.All(f => f.Name != name))
            files.Add(new ArchiveFile(name, data));
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
