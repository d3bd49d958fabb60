using System.Text.Json.Nodes;

namespace Berth.TestImages.Tests;

/// <summary>An image read from an OCI layout (index.json, then manifest, config, layers) with every digest checked.</summary>
internal sealed record CheckedImage(string ManifestDigest, string ConfigHex, JsonNode Config, List<string> LayerHexes, List<byte[]> LayerTars)
{
    const string Created = "2024-01-01T00:00:00Z";

    public static CheckedImage FromLayout(ImageArchive archive, string imageName, string refName, string layerMediaType)
    {
        Assert.That(archive.Text("oci-layout"), Is.EqualTo("{\"imageLayoutVersion\":\"1.0.0\"}"));
        var index = archive.Json("index.json");
        Assert.That((int)index["schemaVersion"]!, Is.EqualTo(2));
        Assert.That((string?)index["mediaType"], Is.EqualTo("application/vnd.oci.image.index.v1+json"));
        var descriptor = index["manifests"]!.AsArray().Single()!;
        Assert.That((string?)descriptor["mediaType"], Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
        Assert.That((string?)descriptor["annotations"]!["io.containerd.image.name"], Is.EqualTo(imageName));
        Assert.That((string?)descriptor["annotations"]!["org.opencontainers.image.ref.name"], Is.EqualTo(refName));

        var manifest = JsonNode.Parse(archive.Blob(descriptor))!;
        Assert.That((int)manifest["schemaVersion"]!, Is.EqualTo(2));
        Assert.That((string?)manifest["mediaType"], Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
        Assert.That((string?)manifest["config"]!["mediaType"], Is.EqualTo("application/vnd.oci.image.config.v1+json"));
        var config = JsonNode.Parse(archive.Blob(manifest["config"]!))!;
        CheckConfigBasics(config);

        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray().Select(d => (string)d!).ToList();
        var layers = manifest["layers"]!.AsArray().Select(l => l!).ToList();
        Assert.That(layers, Has.Count.EqualTo(diffIds.Count), "layers vs diff_ids");
        var tars = new List<byte[]>();
        for (var i = 0; i < layers.Count; i++)
        {
            Assert.That((string?)layers[i]["mediaType"], Is.EqualTo(layerMediaType));
            var tar = LayerFile.Uncompress(archive.Blob(layers[i]));
            Assert.That("sha256:" + Hex.Sha256(tar), Is.EqualTo(diffIds[i]), $"diff_id of layer {i}");
            tars.Add(tar);
        }
        var configDigest = (string)manifest["config"]!["digest"]!;
        return new CheckedImage((string)descriptor["digest"]!, configDigest["sha256:".Length..], config,
            layers.Select(l => ((string)l["digest"]!)["sha256:".Length..]).ToList(), tars);
    }

    public static void CheckConfigBasics(JsonNode config)
    {
        Assert.That((string?)config["architecture"], Is.EqualTo("amd64"));
        Assert.That((string?)config["os"], Is.EqualTo("linux"));
        Assert.That((string?)config["created"], Is.EqualTo(Created));
        Assert.That((string?)config["rootfs"]!["type"], Is.EqualTo("layers"));
        Assert.That(config["config"]!["Cmd"]!.AsArray().Select(c => (string?)c), Is.EqualTo(new[] { "sh" }));
        Assert.That(config["config"]!["StopSignal"], Is.Null);
        var layerSteps = config["history"]!.AsArray().Count(h => h!["empty_layer"] is null);
        Assert.That(layerSteps, Is.EqualTo(config["rootfs"]!["diff_ids"]!.AsArray().Count), "history entries with a layer");
    }
}
