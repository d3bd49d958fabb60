using System.Formats.Tar;
using System.Text;

namespace Berth.TestImages.Tests;

public sealed class LayerContentTests
{
    static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static List<LayerFile> BusyboxLayer()
    {
        var archive = ImageArchive.Read(TestImages.Ensure().BusyboxDockerArchive);
        var layer = (string)archive.Json("manifest.json")[0]!["Layers"]![0]!;
        return LayerFile.Read(archive.Files[layer]);
    }

    static List<List<LayerFile>> LayeredLayers()
    {
        var archive = ImageArchive.Read(TestImages.Ensure().LayeredDockerArchive);
        return archive.Json("manifest.json")[0]!["Layers"]!.AsArray()
            .Select(l => LayerFile.Read(LayerFile.Uncompress(archive.Files[(string)l!]))).ToList();
    }

    [Test]
    public void BusyboxLayerIsSortedRelativeAndStamped()
    {
        var files = BusyboxLayer();
        Assert.That(files.Select(f => f.Name), Has.None.StartsWith("/").And.None.StartsWith("./"));
        Assert.That(files.Select(f => f.Name.TrimEnd('/')), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(files.Select(f => f.ModificationTime), Is.All.EqualTo(Epoch));
        Assert.That(files.Where(f => f.Type == TarEntryType.Directory).Select(f => f.Name), Is.All.EndsWith("/"));
    }

    [Test]
    public void BusyboxLayerHoldsTheRootfs()
    {
        var files = BusyboxLayer().ToDictionary(f => f.Name);
        var busybox = files["bin/busybox"];
        Assert.That(busybox.Type, Is.EqualTo(TarEntryType.RegularFile));
        Assert.That(busybox.Mode, Is.EqualTo((UnixFileMode)0b111_101_101));
        Assert.That(busybox.Content, Is.EqualTo(File.ReadAllBytes(Path.Combine(TestImages.Ensure().RootfsDirectory, "bin/busybox"))));
        Assert.That(files["bin/sh"].Type, Is.EqualTo(TarEntryType.SymbolicLink));
        Assert.That(files["bin/sh"].LinkName, Is.EqualTo("/bin/busybox"));
        Assert.That(files["tmp/"].Mode, Is.EqualTo((UnixFileMode)0b1_111_111_111));
        Assert.That(files["root/"].Mode, Is.EqualTo((UnixFileMode)0b111_000_000));
        Assert.That((files["home/user/"].Uid, files["home/user/"].Gid), Is.EqualTo((1000, 1000)));
        Assert.That((files["etc/passwd"].Uid, files["etc/passwd"].Gid), Is.EqualTo((0, 0)));
        foreach (var dir in new[] { "bin/", "sbin/", "usr/bin/", "usr/sbin/", "etc/", "proc/", "sys/", "dev/", "var/", "data/" })
            Assert.That(files[dir].Type, Is.EqualTo(TarEntryType.Directory), dir);
        Assert.That(Encoding.UTF8.GetString(files["etc/passwd"].Content), Does.Contain("user:x:1000:1000:user:/home/user:/bin/sh\n"));
        Assert.That(Encoding.UTF8.GetString(files["etc/group"].Content), Does.Contain("extra:x:2000:user\n").And.Contain("users:x:100:user\n"));
        Assert.That(Encoding.UTF8.GetString(files["etc/os-release"].Content), Does.Contain("NAME=\"Berth test busybox\""));
    }

    [Test]
    public void LowerLayerHoldsTheFilesTheUpperLayerChanges()
    {
        var lower = LayeredLayers()[0].ToDictionary(f => f.Name, f => Encoding.UTF8.GetString(f.Content));
        Assert.That(lower["etc/motd"], Is.EqualTo("lower motd\n"));
        Assert.That(lower["data/keep.txt"], Is.EqualTo("keep\n"));
        Assert.That(lower["data/gone.txt"], Is.EqualTo("gone\n"));
        Assert.That(lower, Does.ContainKey("opaque/a.txt").And.ContainKey("opaque/sub/b.txt").And.ContainKey("bin/busybox"));
    }

    [Test]
    public void UpperLayerHasWhiteoutsInTheDocumentedOrder()
    {
        var upper = LayeredLayers()[1];
        Assert.That(upper.Select(f => f.Name), Is.EqualTo(new[]
        {
            "data/", "data/.wh.gone.txt", "data/added.txt", "etc/", "etc/motd", "opaque/", "opaque/new.txt", "opaque/.wh..wh..opq",
        }));
        var byName = upper.ToDictionary(f => f.Name);
        Assert.That(byName["data/.wh.gone.txt"].Content, Is.Empty);
        Assert.That(byName["opaque/.wh..wh..opq"].Content, Is.Empty);
        Assert.That(Encoding.UTF8.GetString(byName["etc/motd"].Content), Is.EqualTo("upper motd\n"));
        Assert.That(Encoding.UTF8.GetString(byName["opaque/new.txt"].Content), Is.EqualTo("new\n"));
    }
}
