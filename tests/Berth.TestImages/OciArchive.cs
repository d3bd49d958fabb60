using System.Text;
using System.Text.Json.Nodes;

namespace Berth.TestImages;

/// <summary>A pure OCI image layout in a tar, as `skopeo copy ... oci-archive:` writes it.</summary>
internal static class OciArchive
{
    public static void Write(string path, BuiltImage image, string imageName, string refName) =>
        ArchiveTar.Write(path, Layout(image, imageName, refName));

    /// <summary>oci-layout, index.json (one manifest, annotated with both names) and the blobs.</summary>
    public static Dictionary<string, byte[]> Layout(BuiltImage image, string imageName, string refName)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var blob in image.Blobs())
            files["blobs/sha256/" + blob.Hex] = blob.Bytes;
        files["oci-layout"] = Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}");
        var descriptor = image.Manifest.Descriptor();
        descriptor["annotations"] = new JsonObject
        {
            ["io.containerd.image.name"] = imageName,
            ["org.opencontainers.image.ref.name"] = refName,
        };
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.Index,
            ["manifests"] = new JsonArray(descriptor),
        };
        files["index.json"] = Json.Bytes(index);
        return files;
    }
}
