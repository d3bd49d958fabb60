using System.Formats.Tar;
using System.Text;
using Berth.Engine.Images;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>
/// The bad-tarball corpus: every archive is built here, every rejection must name the offending entry,
/// blob or reference, nothing may be written outside the store (the sentinel stays empty), and nothing
/// partial may stay in the store (no blob, layer, record, tag or temp file).
/// </summary>
public sealed class BadArchiveTests : StoreTestBase
{
    private string Outside => Path.Combine(TempRoot, "outside");

    [SetUp]
    public void CreateOutsideFile()
    {
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret"), "secret");
    }

    // ---- malicious or malformed layer entries ----

    [Test]
    public Task LayerEntryWithAbsolutePath()
    {
        string name = Path.Combine(Sentinel, "evil");
        return AssertLayerRejected(new TestTar().Dir("etc/").File(name, "x"), $"entry `{name}` has an absolute path");
    }

    [Test]
    public Task LayerEntryWithDotDot() =>
        AssertLayerRejected(new TestTar().File(RelativeSentinel + "/evil", "x"), $"entry `{RelativeSentinel}/evil` has a `..` component");

    [Test]
    public Task LayerEntryWithDotDotInTheMiddle() =>
        AssertLayerRejected(new TestTar().Dir("a/").File("a/../../../../../sentinel/evil", "x"), "entry `a/../../../../../sentinel/evil` has a `..` component");

    [Test]
    public Task WriteThroughAbsoluteSymlink() =>
        AssertLayerRejected(new TestTar().Symlink("escape", Sentinel).File("escape/evil", "x"), "entry `escape/evil` would be written through symlink `escape`");

    [Test]
    public Task WriteThroughRelativeSymlink() =>
        AssertLayerRejected(new TestTar().Symlink("up", RelativeSentinel).Dir("up/sub/").File("up/sub/evil", "x"), "entry `up/sub/` would be written through symlink `up`");

    [Test]
    public Task WriteThroughSymlinkDeeperDown() =>
        AssertLayerRejected(new TestTar().Dir("a/").Symlink("a/b", Sentinel).File("a/b/c/evil", "x"), "entry `a/b/c/evil` would be written through symlink `a/b`");

    [Test]
    public async Task HardlinkToAbsolutePathOutside()
    {
        string target = Path.Combine(Outside, "secret");
        await AssertLayerRejected(new TestTar().HardLink("h", target), $"entry `h` is a hardlink to `{target}`, which has an absolute path");
        Assert.That(Sys.Lstat(target).Nlink, Is.EqualTo(1UL), "no link to the outside file was made");
    }

    [Test]
    public Task HardlinkWithDotDot() =>
        AssertLayerRejected(new TestTar().HardLink("h", "../../../../outside/secret"), "entry `h` is a hardlink to `../../../../outside/secret`, which has a `..` component");

    [Test]
    public async Task HardlinkThroughSymlink()
    {
        await AssertLayerRejected(new TestTar().Symlink("s", Outside).HardLink("h", "s/secret"), "entry `h` is a hardlink to `s/secret` through symlink `s`");
        Assert.That(Sys.Lstat(Path.Combine(Outside, "secret")).Nlink, Is.EqualTo(1UL));
    }

    [Test]
    public Task HardlinkToMissingTarget() =>
        AssertLayerRejected(new TestTar().File("a", "x").HardLink("h", "nothere"), "entry `h` is a hardlink to `nothere`, which is not in the layer");

    [Test]
    public Task BareWhiteout() =>
        AssertLayerRejected(new TestTar().Dir("etc/").Whiteout("etc/.wh."), "entry `etc/.wh.` is a whiteout that names no file");

    [Test]
    public Task WhiteoutOfDotDot() =>
        AssertLayerRejected(new TestTar().Dir("etc/").Whiteout("etc/.wh..."), "entry `etc/.wh...` is a whiteout that names no file");

    [Test]
    public Task TruncatedLayerTar()
    {
        byte[] layer = new TestTar().File("big", new byte[100_000]).Build();
        byte[] cut = layer[..60_000];
        var image = TestImage.Create([cut], ["bad:latest"]);
        return AssertRejected(Pack(image), $"layer `{TestArchives.Blob(cut)}`: entry `big` is truncated");
    }

    // ---- corrupt or mismatched blobs ----

    [Test]
    public Task CorruptGzip()
    {
        byte[] gzip = TestTar.Gzip(new TestTar().File("f", RandomText(50_000)).Build());
        for (int i = gzip.Length / 3; i < gzip.Length / 3 + 64; i++)
            gzip[i] ^= 0x5A;
        var image = TestImage.Create([gzip], ["bad:latest"]);
        return AssertRejected(Pack(image), $"layer `{TestArchives.Blob(gzip)}` is corrupt or truncated (gzip)");
    }

    [Test]
    public Task TruncatedGzip()
    {
        byte[] gzip = TestTar.Gzip(new TestTar().File("f", RandomText(50_000)).Build());
        byte[] cut = gzip[..(gzip.Length / 2)];
        var image = TestImage.Create([cut], ["bad:latest"]);
        // GZipStream reports a truncated stream as a plain end of data; the tar inside then comes up short.
        return AssertRejected(Pack(image), $"layer `{TestArchives.Blob(cut)}`: entry `f` is truncated");
    }

    [Test]
    public Task CorruptZstd()
    {
        byte[] zstd = TestTar.Zstd(new TestTar().File("f", RandomText(50_000)).Build());
        byte[] cut = zstd[..(zstd.Length / 2)];
        var image = TestImage.Create([cut], ["bad:latest"]);
        return AssertRejected(Pack(image), $"layer `{TestArchives.Blob(cut)}` is corrupt or truncated (zstd)");
    }

    [Test]
    public Task TruncatedOuterArchive()
    {
        var image = TestImage.Create([new TestTar().File("big", RandomText(200_000)).Build()], ["bad:latest"]);
        byte[] archive = Pack(image);
        return AssertRejected(archive[..(archive.Length / 2)], "truncated");
    }

    [Test]
    public Task LayerBlobDigestMismatch()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        string name = TestArchives.Blob(image.LayerBlobs[0]);
        var files = TestArchives.DockerSave(image).With(name, TestImage.SimpleLayer("other"));
        return AssertRejected(TestArchives.Pack(files), $"layer blob `{name}` does not match its digest");
    }

    [Test]
    public Task DiffIdMismatch()
    {
        var wrong = "sha256:" + new string('e', 64);
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"], diffIds: [wrong]);
        return AssertRejected(Pack(image), $"layer `{TestArchives.Blob(image.LayerBlobs[0])}` has DiffID {image.DiffIds[0]}, but config", $"expects {wrong}");
    }

    [Test]
    public Task DiffIdCountMismatch()
    {
        var layers = new[] { TestImage.SimpleLayer("a"), TestImage.SimpleLayer("b") };
        var image = TestImage.Create(layers, ["bad:latest"], diffIds: [TestTar.Sha256(layers[0])]);
        return AssertRejected(Pack(image), $"config `{TestArchives.Blob(image.Config)}` lists 1 diff_ids but manifest.json entry 0 has 2 layers");
    }

    [Test]
    public Task ManifestNamesMissingBlob()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        string name = TestArchives.Blob(image.LayerBlobs[0]);
        return AssertRejected(TestArchives.Pack(TestArchives.DockerSave(image).Without(name)), $"manifest.json entry 0 names layer `{name}`, which is not in the archive");
    }

    [Test]
    public Task ManifestNamesMissingConfig()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        string name = TestArchives.Blob(image.Config);
        return AssertRejected(TestArchives.Pack(TestArchives.DockerSave(image).Without(name)), $"names config `{name}`, which is not in the archive");
    }

    [Test]
    public Task ConfigDigestMismatch()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        var other = TestImage.Create([TestImage.SimpleLayer("a")], cmd: "other");
        string name = TestArchives.Blob(image.Config);
        return AssertRejected(TestArchives.Pack(TestArchives.DockerSave(image).With(name, other.Config)), $"config `{name}` does not match its digest");
    }

    [Test]
    public Task UnknownLayerCompression()
    {
        byte[] bzip2 = [.. "BZh91AY&SY"u8, .. Encoding.ASCII.GetBytes(RandomText(2000))];
        var image = TestImage.Create([bzip2], ["bad:latest"]);
        return AssertRejected(Pack(image), $"layer `{TestArchives.Blob(bzip2)}` is not a tar archive and not gzip or zstd compressed (unknown compression");
    }

    [Test]
    public Task InvalidManifestJson()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        return AssertRejected(TestArchives.Pack(TestArchives.DockerSave(image).With("manifest.json", "[{\"Config\":"u8.ToArray())), "manifest.json is not valid JSON");
    }

    [Test]
    public Task InvalidConfigJson()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        var manifest = $$"""[{"Config":"config.json","RepoTags":["bad:latest"],"Layers":["{{TestArchives.Blob(image.LayerBlobs[0])}}"]}]""";
        var files = TestArchives.DockerSave(image).With("manifest.json", Encoding.UTF8.GetBytes(manifest));
        files.Add(new ArchiveFile("config.json", "{\"rootfs\": [nope"u8.ToArray()));
        return AssertRejected(TestArchives.Pack(files), "config `config.json` is not valid JSON");
    }

    [Test]
    public Task InvalidTagInManifest()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["Bad:latest"]);
        return AssertRejected(Pack(image), "manifest.json entry 0 has an invalid tag `Bad:latest`");
    }

    [Test]
    public Task OciManifestDigestMismatch()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], compression: "+gzip");
        string name = TestArchives.Blob(TestArchives.Manifest(image));
        var files = TestArchives.Oci(image, "docker.io/library/bad:latest").With(name, TestArchives.Manifest(TestImage.Create([TestImage.SimpleLayer("b")])));
        return AssertRejected(TestArchives.Pack(files), $"blob `{name}` does not match its digest");
    }

    [Test]
    public Task OciIndexWithoutLinuxAmd64()
    {
        var arm = TestImage.Create([TestImage.SimpleLayer("arm")], architecture: "arm64");
        var s390 = TestImage.Create([TestImage.SimpleLayer("s390")], architecture: "s390x");
        var files = TestArchives.OciPlatforms("docker.io/library/bad:latest", nested: true, ("linux", "arm64", arm), ("linux", "s390x", s390));
        return AssertRejected(TestArchives.Pack(files), "has no linux/amd64 manifest (it has linux/arm64, linux/s390x)");
    }

    [Test]
    public Task NoManifestAtAll() =>
        AssertRejected(TestArchives.Pack([new ArchiveFile("hello.txt", "hi"u8.ToArray())]), "archive has no manifest.json, index.json or repositories");

    [Test]
    public Task NotATarAtAll() =>
        AssertRejected(Encoding.ASCII.GetBytes(RandomText(5000)), "the file is not a tar archive (nor gzip, zstd)");

    // ---- the outer archive itself ----

    [TestCase(TarEntryType.Fifo)]
    [TestCase(TarEntryType.HardLink)]
    [TestCase(TarEntryType.CharacterDevice)]
    public Task NonRegularEntryInArchive(TarEntryType type)
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        var files = TestArchives.DockerSave(image);
        files.Insert(0, new ArchiveFile("blobs/sha256/odd", [], type, type == TarEntryType.HardLink ? "manifest.json" : null));
        return AssertRejected(TestArchives.Pack(files), $"archive entry `blobs/sha256/odd` is a {type}, not a regular file");
    }

    [TestCase("../evil", "has a `..` component")]
    [TestCase("blobs/../../evil", "has a `..` component")]
    [TestCase("/evil", "has an absolute path")]
    public Task ArchiveEntryEscaping(string name, string problem)
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        var files = TestArchives.DockerSave(image);
        files.Insert(0, new ArchiveFile(name, "x"u8.ToArray()));
        return AssertRejected(TestArchives.Pack(files), $"archive entry `{name}` {problem}");
    }

    [Test]
    public Task ArchiveSymlinkEscaping()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        var files = TestArchives.DockerSave(image);
        files.Insert(0, new ArchiveFile("x/layer.tar", [], TarEntryType.SymbolicLink, "../../etc/passwd"));
        return AssertRejected(TestArchives.Pack(files), "archive entry `x/layer.tar` is a symlink to `../../etc/passwd`, outside the archive");
    }

    [Test]
    public Task DuplicateEntryWithDifferentContent()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        var files = TestArchives.DockerSave(image);
        files.Add(new ArchiveFile("manifest.json", "[]"u8.ToArray()));
        return AssertRejected(TestArchives.Pack(files), "archive entry `manifest.json` appears twice with different content");
    }

    [Test]
    public Task DuplicateLayerEntryWithDifferentContent()
    {
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        string name = TestArchives.Blob(image.LayerBlobs[0]);
        var files = TestArchives.DockerSave(image);
        files.Add(new ArchiveFile(name, TestImage.SimpleLayer("overwritten")));
        return AssertRejected(TestArchives.Pack(files), $"archive entry `{name}` appears twice with different content");
    }

    [Test]
    public async Task OversizedMetadataEntry()
    {
        var store = OpenStore();
        store.MetadataLimit = 1000;
        var image = TestImage.Create([TestImage.SimpleLayer("a")], ["bad:latest"]);
        var files = TestArchives.DockerSave(image);
        files.Insert(0, new ArchiveFile("big.json", Encoding.ASCII.GetBytes(RandomText(2000))));
        await AssertRejected(store, TestArchives.Pack(files), "archive entry `big.json` (2000 bytes) is neither a layer");
    }

    // ---- unpacked size cap ----

    [Test]
    public async Task GzipBombPastTheUnpackedSizeLimitIsRefusedAndLeavesNothing()
    {
        var store = OpenStore();
        store.MaxUnpackedSize = 8 << 20;
        byte[] bomb = new TestTar().Dir("data/").File("data/zeros", new byte[32 << 20]).Build();
        var image = TestImage.Create([bomb], ["bomb:latest"], compression: "+gzip");
        Assert.That(image.LayerBlobs[0].Length, Is.LessThan(1 << 20), "a small archive");
        await AssertRejected(store, Pack(image), "past 8388608 bytes unpacked, the most this engine accepts");
    }

    [Test]
    public async Task TheUnpackedSizeLimitCountsAllLayersOfTheLoad()
    {
        var store = OpenStore();
        store.MaxUnpackedSize = 3 << 20;
        byte[] Layer(string name) => new TestTar().Dir("data/").File($"data/{name}", new byte[2 << 20]).Build();
        var image = TestImage.Create([Layer("a"), Layer("b")], ["two:latest"]);
        await AssertRejected(store, Pack(image), "takes the image past 3145728 bytes unpacked");
        store.MaxUnpackedSize = 5 << 20;
        Assert.That((await Load(store, Pack(image))).Single().Size, Is.EqualTo(4 << 20), "under the limit it loads");
    }

    // ---- all or nothing ----

    [Test]
    public async Task SecondImageCorruptLeavesNothing()
    {
        var good = TestImage.Create([TestImage.SimpleLayer("base"), TestImage.SimpleLayer("good")], ["good:latest"]);
        var bad = TestImage.Create([TestImage.SimpleLayer("base"), TestImage.SimpleLayer("bad")], ["bad:latest"]);
        string badBlob = TestArchives.Blob(bad.LayerBlobs[1]);
        var files = TestArchives.DockerSave(good, bad).With(badBlob, TestImage.SimpleLayer("corrupted"));
        await AssertRejected(TestArchives.Pack(files), $"layer blob `{badBlob}` does not match its digest");
    }

    [Test]
    public async Task FailedLoadKeepsWhatWasThere()
    {
        var store = OpenStore();
        var existing = TestImage.Create([TestImage.SimpleLayer("base")], ["existing:latest"]);
        await Load(store, Pack(existing));
        var bad = TestImage.Create([TestImage.SimpleLayer("base"), TestImage.SimpleLayer("bad")], ["existing:latest", "bad:latest"], diffIds: [existing.DiffIds[0], "sha256:" + new string('0', 64)]);
        await AssertRejected(store, Pack(bad), "has DiffID");
        Assert.That(store.Find("existing")!.Id, Is.EqualTo(existing.Id), "the tag still points at the old image");
        Assert.That(store.Find("bad"), Is.Null);
    }

    private Task AssertLayerRejected(TestTar layer, string message)
    {
        byte[] tar = layer.Build();
        var image = TestImage.Create([tar], ["bad:latest"]);
        return AssertRejected(Pack(image), $"layer `{TestArchives.Blob(tar)}`: {message}");
    }

    private Task AssertRejected(byte[] archive, params string[] fragments) => AssertRejected(OpenStore(), archive, fragments);

    private async Task AssertRejected(ImageStore store, byte[] archive, params string[] fragments)
    {
        var before = Snapshot();
        var images = store.List().Select(i => i.Id).ToList();
        var error = Assert.ThrowsAsync<ImageFormatException>(() => Load(store, archive));
        TestContext.Out.WriteLine(error?.Message);
        foreach (string fragment in fragments)
            Assert.That(error!.Message, Does.Contain(fragment));
        AssertSentinelEmpty();
        Assert.That(Snapshot(), Is.EqualTo(before), "the failed load left something in the store");
        Assert.That(store.List().Select(i => i.Id), Is.EqualTo(images));
        Assert.That(File.ReadAllText(Path.Combine(Outside, "secret")), Is.EqualTo("secret"));
        await Task.CompletedTask;
    }

    private static byte[] Pack(TestImage image) => TestArchives.Pack(TestArchives.DockerSave(image));

    private static string RandomText(int length)
    {
        var random = new Random(length);
        var text = new char[length];
        for (int i = 0; i < length; i++)
            text[i] = (char)random.Next('!', '~');
        return new string(text);
    }
}
