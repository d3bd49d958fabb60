using System.Text;
using System.Text.Json.Nodes;

namespace Berth.TestImages;

/// <summary>
/// `docker save` of Docker before 25: manifest.json, repositories, &lt;id&gt;/{layer.tar,json,VERSION} per layer and
/// &lt;config hex&gt;.json. Layer ids are v1 ids derived from the chain ID and the parent id, as moby made them.
/// </summary>
internal static class LegacyArchive
{
    const string Created = "2024-01-01T00:00:00Z";

    public static void Write(string path, BuiltImage image, string repository, string tag)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var ids = V1Ids(image);
        for (var i = 0; i < ids.Count; i++)
        {
            files[ids[i] + "/layer.tar"] = image.LayerTars[i];
            files[ids[i] + "/VERSION"] = Encoding.UTF8.GetBytes("1.0");
            files[ids[i] + "/json"] = Json.Bytes(V1Json(image, ids, i));
        }
        files[image.Config.Hex + ".json"] = image.Config.Bytes;
        var manifest = new JsonObject
        {
            ["Config"] = image.Config.Hex + ".json",
            ["RepoTags"] = Json.Array([$"{repository}:{tag}"]),
            ["Layers"] = Json.Array(ids.Select(id => id + "/layer.tar")),
        };
        files["manifest.json"] = Json.Bytes(new JsonArray(manifest));
        files["repositories"] = Json.Bytes(new JsonObject { [repository] = new JsonObject { [tag] = ids[^1] } });
        ArchiveTar.Write(path, files);
    }

    static List<string> V1Ids(BuiltImage image)
    {
        var ids = new List<string>();
        string? chainId = null;
        foreach (var tar in image.LayerTars)
        {
            var diffId = "sha256:" + Sha256Hex.Of(tar);
            chainId = chainId is null ? diffId : "sha256:" + Sha256Hex.Of(Encoding.UTF8.GetBytes(chainId + " " + diffId));
            var idSource = new JsonObject { ["created"] = Created, ["layer_id"] = chainId };
            if (ids.Count > 0)
                idSource["parent"] = "sha256:" + ids[^1];
            ids.Add(Sha256Hex.Of(Json.Bytes(idSource)));
        }
        return ids;
    }

    static JsonObject V1Json(BuiltImage image, List<string> ids, int i)
    {
        var json = new JsonObject { ["id"] = ids[i] };
        if (i > 0)
            json["parent"] = ids[i - 1];
        json["created"] = Created;
        json["os"] = "linux";
        if (i == ids.Count - 1)
        {
            var config = JsonNode.Parse(image.Config.Bytes)!;
            json["architecture"] = config["architecture"]!.DeepClone();
            json["config"] = config["config"]!.DeepClone();
        }
        return json;
    }
}
