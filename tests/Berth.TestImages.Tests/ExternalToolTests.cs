using System.Formats.Tar;
using System.Text.Json.Nodes;

namespace Berth.TestImages.Tests;

/// <summary>Tools that are not ours read the images the same way: skopeo, umoci and the zstd CLI.</summary>
public sealed class ExternalToolTests
{
    [TestCase(nameof(TestImageSet.BusyboxDockerArchive))]
    [TestCase(nameof(TestImageSet.BusyboxLegacyArchive))]
    [TestCase(nameof(TestImageSet.LayeredDockerArchive))]
    public void SkopeoReadsDockerArchive(string fixture)
    {
        var skopeo = Tool.Require("skopeo");
        var path = PathOf(fixture);
        var archive = ImageArchive.Read(path);
        var entry = archive.Json("manifest.json")[0]!;
        var ours = archive.Json((string)entry["Config"]!);
        var theirs = JsonNode.Parse(Tool.Run(skopeo, "inspect", "--config", "docker-archive:" + path))!;
        Assert.That(JsonNode.DeepEquals(theirs["rootfs"], ours["rootfs"]), theirs.ToJsonString());
        Assert.That(JsonNode.DeepEquals(theirs["config"]!["Env"], ours["config"]!["Env"]));
        var inspect = JsonNode.Parse(Tool.Run(skopeo, "inspect", "docker-archive:" + path))!;
        // skopeo names docker-archive layers by their diff_ids, compressed or not.
        var diffIds = ours["rootfs"]!["diff_ids"]!.AsArray().Select(d => (string?)d);
        Assert.That(inspect["Layers"]!.AsArray().Select(l => (string?)l), Is.EqualTo(diffIds));
    }

    [TestCase(nameof(TestImageSet.BusyboxOciArchive))]
    [TestCase(nameof(TestImageSet.BusyboxZstdOciArchive))]
    public void SkopeoReadsOciArchive(string fixture)
    {
        var skopeo = Tool.Require("skopeo");
        var path = PathOf(fixture);
        var index = ImageArchive.Read(path).Json("index.json");
        var inspect = JsonNode.Parse(Tool.Run(skopeo, "inspect", "oci-archive:" + path))!;
        Assert.That((string?)inspect["Digest"], Is.EqualTo((string?)index["manifests"]![0]!["digest"]));
        Assert.That((string?)inspect["Labels"]!["org.berth.test"], Is.EqualTo("busybox"));
    }

    [Test]
    public void ZstdCliDecompressesTheZstdLayer()
    {
        var zstd = Tool.Require("zstd");
        var archive = ImageArchive.Read(TestImages.Ensure().BusyboxZstdOciArchive);
        var image = CheckedImage.FromLayout(archive, "docker.io/library/busybox:zstd", "zstd", "application/vnd.oci.image.layer.v1.tar+zstd");
        var blob = Path.Combine(TestContext.CurrentContext.WorkDirectory, "layer.zst");
        File.WriteAllBytes(blob, archive.Files["blobs/sha256/" + image.LayerHexes[0]]);
        try
        {
            var tar = Tool.RunBytes(zstd, "-d", "-c", blob);
            Assert.That("sha256:" + Hex.Sha256(tar), Is.EqualTo((string?)image.Config["rootfs"]!["diff_ids"]![0]));
        }
        finally
        {
            File.Delete(blob);
        }
    }

    [Test]
    public void UmociUnpacksTheLayeredImageAndAppliesWhiteouts()
    {
        var umoci = Tool.Require("umoci");
        var work = Directory.CreateTempSubdirectory("berth-umoci-").FullName;
        try
        {
            var layout = Path.Combine(work, "layout");
            Directory.CreateDirectory(layout);
            TarFile.ExtractToDirectory(TestImages.Ensure().LayeredDockerArchive, layout, overwriteFiles: false);
            var bundle = Path.Combine(work, "bundle");
            var rootless = Environment.IsPrivilegedProcess ? [] : new[] { "--rootless" };
            Tool.Run(umoci, ["unpack", .. rootless, "--image", layout + ":latest", bundle]);
            var rootfs = Path.Combine(bundle, "rootfs");
            Assert.That(Path.Combine(rootfs, "bin/busybox"), Does.Exist);
            Assert.That(File.ReadAllText(Path.Combine(rootfs, "etc/motd")), Is.EqualTo("upper motd\n"));
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(rootfs, "data")).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "keep.txt", "added.txt" }));
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(rootfs, "opaque")).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "new.txt" }));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static string PathOf(string fixture) =>
        (string)typeof(TestImageSet).GetProperty(fixture)!.GetValue(TestImages.Ensure())!;
}
