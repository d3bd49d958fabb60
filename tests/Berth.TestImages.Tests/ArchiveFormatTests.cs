using System.Text.Json.Nodes;

namespace Berth.TestImages.Tests;

public sealed class ArchiveFormatTests
{
    static TestImageSet Images => TestImages.Ensure();

    [Test]
    public void EveryPathExists()
    {
        var set = Images;
        foreach (var path in new[] { set.BusyboxDockerArchive, set.BusyboxLegacyArchive, set.BusyboxOciArchive,
                     set.BusyboxZstdOciArchive, set.LayeredDockerArchive, set.BusyboxDebPath })
            Assert.That(path, Does.Exist);
        Assert.That(Path.Combine(set.RootfsDirectory, "bin/busybox"), Does.Exist);
    }

    [Test]
    public void DockerArchiveIsAnOciLayoutPlusManifestJson()
    {
        var archive = ImageArchive.Read(Images.BusyboxDockerArchive);
        var image = CheckedImage.FromLayout(archive, "docker.io/library/busybox:latest", "latest", "application/vnd.oci.image.layer.v1.tar");
        CheckManifestJson(archive, image, "busybox", "latest");
        Assert.That(archive.Files.Keys, Is.EquivalentTo(new[] { "oci-layout", "index.json", "manifest.json", "repositories",
            "blobs/sha256/" + image.ManifestDigest["sha256:".Length..], "blobs/sha256/" + image.ConfigHex, "blobs/sha256/" + image.LayerHexes[0] }));
    }

    [Test]
    public void LegacyArchiveHasPerLayerDirectoriesAndConfigJson()
    {
        var archive = ImageArchive.Read(Images.BusyboxLegacyArchive);
        Assert.That(archive.Files.Keys, Has.None.StartsWith("blobs/").And.None.EqualTo("index.json").And.None.EqualTo("oci-layout"));
        var entry = archive.Json("manifest.json").AsArray().Single()!;
        Assert.That(entry["RepoTags"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "busybox:legacy" }));
        var configName = (string)entry["Config"]!;
        Assert.That(configName, Is.EqualTo(Hex.Sha256(archive.Files[configName]) + ".json"), "config file is named by its digest");
        var config = archive.Json(configName);
        CheckedImage.CheckConfigBasics(config);
        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray().Select(d => (string?)d).ToList();
        var layers = entry["Layers"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.That(layers, Has.Count.EqualTo(diffIds.Count));
        for (var i = 0; i < layers.Count; i++)
        {
            var id = layers[i][..^"/layer.tar".Length];
            Assert.That(layers[i], Is.EqualTo(id + "/layer.tar"));
            Assert.That("sha256:" + Hex.Sha256(archive.Files[layers[i]]), Is.EqualTo(diffIds[i]), "diff_id");
            Assert.That(archive.Text(id + "/VERSION"), Is.EqualTo("1.0"));
            Assert.That((string?)archive.Json(id + "/json")["id"], Is.EqualTo(id));
        }
        var topId = layers[^1][..^"/layer.tar".Length];
        Assert.That((string?)archive.Json("repositories")["busybox"]!["legacy"], Is.EqualTo(topId));
    }

    [Test]
    public void OciArchiveIsAPureLayoutWithGzipLayers()
    {
        var archive = ImageArchive.Read(Images.BusyboxOciArchive);
        Assert.That(archive.Files.Keys, Has.None.EqualTo("manifest.json").And.None.EqualTo("repositories"));
        var image = CheckedImage.FromLayout(archive, "docker.io/library/busybox:oci", "oci", "application/vnd.oci.image.layer.v1.tar+gzip");
        Assert.That(archive.Files["blobs/sha256/" + image.LayerHexes[0]][..2], Is.EqualTo(new byte[] { 0x1F, 0x8B }));
    }

    [Test]
    public void ZstdOciArchiveHasAZstdLayer()
    {
        var archive = ImageArchive.Read(Images.BusyboxZstdOciArchive);
        Assert.That(archive.Files.Keys, Has.None.EqualTo("manifest.json"));
        var image = CheckedImage.FromLayout(archive, "docker.io/library/busybox:zstd", "zstd", "application/vnd.oci.image.layer.v1.tar+zstd");
        Assert.That(archive.Files["blobs/sha256/" + image.LayerHexes[0]][..4], Is.EqualTo(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }));
    }

    [Test]
    public void LayeredArchiveHasTwoGzipLayers()
    {
        var archive = ImageArchive.Read(Images.LayeredDockerArchive);
        var image = CheckedImage.FromLayout(archive, "docker.io/library/busybox-layers:latest", "latest", "application/vnd.oci.image.layer.v1.tar+gzip");
        Assert.That(image.LayerTars, Has.Count.EqualTo(2));
        CheckManifestJson(archive, image, "busybox-layers", "latest");
        var config = image.Config["config"]!;
        Assert.That(config["Env"]!.AsArray().Select(e => (string?)e),
            Is.EqualTo(new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "BERTH_LAYERED=1" }));
        Assert.That((string?)config["WorkingDir"], Is.EqualTo("/data"));
        Assert.That((string?)config["User"], Is.EqualTo(""));
        Assert.That(config["ExposedPorts"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "8080/tcp" }));
    }

    [Test]
    public void BusyboxArchivesShareOneImageId()
    {
        var set = Images;
        var docker = CheckedImage.FromLayout(ImageArchive.Read(set.BusyboxDockerArchive), "docker.io/library/busybox:latest", "latest", "application/vnd.oci.image.layer.v1.tar");
        var oci = CheckedImage.FromLayout(ImageArchive.Read(set.BusyboxOciArchive), "docker.io/library/busybox:oci", "oci", "application/vnd.oci.image.layer.v1.tar+gzip");
        var zstd = CheckedImage.FromLayout(ImageArchive.Read(set.BusyboxZstdOciArchive), "docker.io/library/busybox:zstd", "zstd", "application/vnd.oci.image.layer.v1.tar+zstd");
        var legacy = (string)ImageArchive.Read(set.BusyboxLegacyArchive).Json("manifest.json")[0]!["Config"]!;
        Assert.That(new[] { oci.ConfigHex, zstd.ConfigHex, legacy[..^".json".Length] }, Is.All.EqualTo(docker.ConfigHex));
        var config = docker.Config["config"]!;
        Assert.That((string?)config["Labels"]!["org.berth.test"], Is.EqualTo("busybox"));
        Assert.That((string?)config["WorkingDir"], Is.EqualTo(""));
        Assert.That(config["ExposedPorts"], Is.Null);
    }

    static void CheckManifestJson(ImageArchive archive, CheckedImage image, string repository, string tag)
    {
        var entry = archive.Json("manifest.json").AsArray().Single()!;
        Assert.That((string?)entry["Config"], Is.EqualTo("blobs/sha256/" + image.ConfigHex));
        Assert.That(entry["RepoTags"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { $"{repository}:{tag}" }));
        Assert.That(entry["Layers"]!.AsArray().Select(l => (string?)l), Is.EqualTo(image.LayerHexes.Select(h => "blobs/sha256/" + h)));
        var repositories = archive.Json("repositories");
        Assert.That((string?)repositories[repository]![tag], Is.EqualTo(image.LayerHexes[^1]));
    }
}
