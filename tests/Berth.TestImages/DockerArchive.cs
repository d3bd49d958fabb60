using System.Text.Json.Nodes;

namespace Berth.TestImages;

/// <summary>`docker save` of Docker 25 and later: an OCI layout plus manifest.json and repositories.</summary>
internal static class DockerArchive
{
    public static void Write(string path, BuiltImage image, string repository, string tag)
    {
        var files = OciArchive.Layout(image, $"docker.io/library/{repository}:{tag}", tag);
        var manifest = new JsonObject
        {
            ["Config"] = "blobs/sha256/" + image.Config.Hex,
            ["RepoTags"] = Json.Array([$"{repository}:{tag}"]),
            ["Layers"] = Json.Array(image.Layers.Select(l => "blobs/sha256/" + l.Hex)),
        };
        files["manifest.json"] = Json.Bytes(new JsonArray(manifest));
        var repositories = new JsonObject { [repository] = new JsonObject { [tag] = image.Layers[^1].Hex } };
        files["repositories"] = Json.Bytes(repositories);
        ArchiveTar.Write(path, files);
    }
}
