using System.Collections.Concurrent;
using Berth.Engine.Images;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>Loading valid archives of every supported layout, built in memory.</summary>
public sealed class ImageLoadTests : StoreTestBase
{
    private static readonly byte[] BaseLayer = new TestTar().Dir("bin/").File("bin/busybox", "busybox binary", mode: 0x1ED).HardLink("bin/sh", "bin/busybox").Dir("etc/").File("etc/os-release", "ID=test").Build();
    private static readonly byte[] TopLayer = new TestTar().Dir("etc/").File("etc/motd", "welcome").Build();

    [Test]
    public async Task DockerSaveCurrentLayout()
    {
        var image = TestImage.Create([BaseLayer, TopLayer], ["busybox:latest", "busybox:1.36"]);
        var store = OpenStore();
        var loaded = await Load(store, TestArchives.Pack(TestArchives.DockerSave(image)));

        Assert.That(loaded, Has.Count.EqualTo(1));
        var result = loaded[0];
        Assert.That(result.Id, Is.EqualTo(image.Id));
        Assert.That(result.RepoTags, Is.EqualTo(new[] { "busybox:1.36", "busybox:latest" }));
        Assert.That(result.DiffIds, Is.EqualTo(image.DiffIds));
        Assert.That(result.ChainIds[0], Is.EqualTo(image.DiffIds[0]));
        Assert.That(result.Config.Config!.Cmd, Is.EqualTo(new[] { "sh" }));
        Assert.That(result.Created, Is.EqualTo(DateTimeOffset.Parse("2024-09-26T21:31:42.1234567Z")).Within(TimeSpan.FromTicks(1)));
        Assert.That(result.Size, Is.EqualTo("busybox binary".Length + "ID=test".Length + "welcome".Length));

        var directories = store.GetLayerDirectories(result);
        Assert.That(directories, Has.Count.EqualTo(2));
        Assert.That(directories[0], Is.EqualTo(Path.Combine(StoreRoot, "layers", result.ChainIds[1][7..], "diff")), "top-most first");
        Assert.That(File.ReadAllText(Path.Combine(directories[0], "etc/motd")), Is.EqualTo("welcome"));
        Assert.That(File.ReadAllText(Path.Combine(directories[1], "bin/sh")), Is.EqualTo("busybox binary"));
        Assert.That(File.Exists(Path.Combine(StoreRoot, "layers", result.ChainIds[1][7..], "layer.json")), Is.True);
        foreach (string blob in image.LayerBlobs.Append(image.Config).Select(TestTar.Hex))
            Assert.That(File.Exists(Path.Combine(StoreRoot, "blobs/sha256", blob)), Is.True);
        AssertNoTemporaries();
    }

    [Test]
    public async Task FindByEveryForm()
    {
        var image = TestImage.Create([BaseLayer], ["busybox:latest"]);
        var store = OpenStore();
        await Load(store, TestArchives.Pack(TestArchives.DockerSave(image)));
        string hex = image.Id[7..];
        foreach (string name in new[] { "busybox", "busybox:latest", "library/busybox", "docker.io/library/busybox:latest", "index.docker.io/library/busybox", image.Id, hex, hex[..12], hex[..1], "sha256:" + hex[..5] })
            Assert.That(store.Find(name)?.Id, Is.EqualTo(image.Id), name);
        foreach (string name in new[] { "busybox:other", "alpine", "0000000", "sha256:00", "Invalid Name", "" })
            Assert.That(store.Find(name), Is.Null, name);
    }

    [Test]
    public async Task DockerSaveLegacyLayoutWithSymlinkedLayer()
    {
        var first = TestImage.Create([BaseLayer], ["base:1"]);
        var second = TestImage.Create([BaseLayer, TopLayer], ["app:2"]);
        var files = TestArchives.DockerSaveLegacy(first, second);
        Assert.That(files.Count(f => f.Type == System.Formats.Tar.TarEntryType.SymbolicLink), Is.EqualTo(1), "the repeated layer.tar is a symlink");
        var store = OpenStore();
        var loaded = await Load(store, TestArchives.Pack(files));
        Assert.That(loaded.Select(i => i.Id), Is.EqualTo(new[] { first.Id, second.Id }));
        Assert.That(store.Find("app:2")!.DiffIds, Is.EqualTo(second.DiffIds));
        Assert.That(LayerDirectories(), Has.Length.EqualTo(2), "the base layer is shared");
    }

    [Test]
    public async Task LegacyRepositoriesLayoutBuildsTheConfig()
    {
        var files = TestArchives.LegacyRepositories([BaseLayer, TopLayer], "old", "v1");
        var store = OpenStore();
        var image = (await Load(store, TestArchives.Pack(files))).Single();
        Assert.That(image.RepoTags, Is.EqualTo(new[] { "old:v1" }));
        Assert.That(image.DiffIds, Is.EqualTo(new[] { TestTar.Sha256(BaseLayer), TestTar.Sha256(TopLayer) }));
        Assert.That(image.Config.Config!.Cmd, Is.EqualTo(new[] { "/bin/sh" }));
        Assert.That(image.Config.Config.WorkingDir, Is.EqualTo("/root"));
        Assert.That(image.Config.Architecture, Is.EqualTo("amd64"));
        Assert.That(image.Config.History!.Select(h => h.CreatedBy), Is.EqualTo(new[] { "/bin/sh -c #(nop) layer 0", "/bin/sh -c #(nop) layer 1" }));
        Assert.That(File.ReadAllText(Path.Combine(store.GetLayerDirectories(image)[0], "etc/motd")), Is.EqualTo("welcome"));
        Assert.That(TestTar.Sha256(File.ReadAllBytes(Path.Combine(StoreRoot, "blobs/sha256", image.Id[7..]))), Is.EqualTo(image.Id));
    }

    [TestCase("+gzip")]
    [TestCase("+zstd")]
    [TestCase("")]
    public async Task OciLayout(string compression)
    {
        var image = TestImage.Create([BaseLayer, TopLayer], compression: compression);
        var store = OpenStore();
        var loaded = (await Load(store, TestArchives.Pack(TestArchives.Oci(image, "docker.io/library/oci:1")))).Single();
        string manifestDigest = TestTar.Sha256(TestArchives.Manifest(image));
        Assert.That(loaded.Id, Is.EqualTo(image.Id));
        Assert.That(loaded.RepoTags, Is.EqualTo(new[] { "oci:1" }));
        Assert.That(loaded.RepoDigests, Is.EqualTo(new[] { "oci@" + manifestDigest }));
        Assert.That(loaded.ManifestDigest, Is.EqualTo(manifestDigest));
        Assert.That(store.Find("oci@" + manifestDigest)?.Id, Is.EqualTo(image.Id));
        Assert.That(File.ReadAllText(Path.Combine(store.GetLayerDirectories(loaded)[1], "etc/os-release")), Is.EqualTo("ID=test"));
        Assert.That(File.Exists(Path.Combine(StoreRoot, "blobs/sha256", TestTar.Hex(image.LayerBlobs[0]))), Is.True, "the blob is kept as it came");
    }

    [Test]
    public async Task OciNestedIndexPicksLinuxAmd64()
    {
        var amd64 = TestImage.Create([TopLayer]);
        var arm64 = TestImage.Create([BaseLayer], architecture: "arm64");
        var files = TestArchives.OciPlatforms("docker.io/library/multi:latest", nested: true, ("linux", "arm64", arm64), ("linux", "amd64", amd64), ("unknown", "unknown", arm64));
        var store = OpenStore();
        var image = (await Load(store, TestArchives.Pack(files))).Single();
        Assert.That(image.Id, Is.EqualTo(amd64.Id));
        Assert.That(image.RepoTags, Is.EqualTo(new[] { "multi:latest" }));
        Assert.That(LayerDirectories(), Is.EqualTo(new[] { amd64.DiffIds[0][7..] }), "the arm64 layer was staged but not kept");
        Assert.That(File.Exists(Path.Combine(StoreRoot, "blobs/sha256", TestTar.Hex(arm64.LayerBlobs[0]))), Is.False);
        AssertNoTemporaries();
    }

    [Test]
    public async Task UntaggedOciImage()
    {
        var image = TestImage.Create([TopLayer], compression: "+gzip");
        var store = OpenStore();
        var loaded = (await Load(store, TestArchives.Pack(TestArchives.Oci(image)))).Single();
        Assert.That(loaded.RepoTags, Is.Empty);
        Assert.That(store.List().Single().Id, Is.EqualTo(image.Id));
    }

    [TestCase("gzip")]
    [TestCase("zstd")]
    public async Task CompressedArchive(string compression)
    {
        var image = TestImage.Create([BaseLayer], ["compressed:latest"]);
        byte[] archive = TestArchives.Pack(TestArchives.DockerSave(image));
        archive = compression == "gzip" ? TestTar.Gzip(archive) : TestTar.Zstd(archive);
        var store = OpenStore();
        Assert.That((await Load(store, archive)).Single().Id, Is.EqualTo(image.Id));
    }

    [Test]
    public async Task EmptyLayer()
    {
        byte[] empty = new byte[1024];
        var image = TestImage.Create([BaseLayer, empty], ["empty:latest"]);
        var store = OpenStore();
        var loaded = (await Load(store, TestArchives.Pack(TestArchives.DockerSave(image)))).Single();
        Assert.That(loaded.DiffIds[1], Is.EqualTo("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"));
        Assert.That(Directory.EnumerateFileSystemEntries(store.GetLayerDirectories(loaded)[0]), Is.Empty);
    }

    [Test]
    public async Task SameLayerAtTwoChainPositionsIsUnpackedForEach()
    {
        var first = TestImage.Create([TopLayer], ["first:latest"]);
        var second = TestImage.Create([BaseLayer, TopLayer], ["second:latest"]);
        var store = OpenStore();
        await Load(store, TestArchives.Pack(TestArchives.DockerSave(first, second)));
        Assert.That(LayerDirectories(), Has.Length.EqualTo(3));
        foreach (string name in new[] { "first", "second" })
            Assert.That(File.ReadAllText(Path.Combine(store.GetLayerDirectories(store.Find(name)!)[0], "etc/motd")), Is.EqualTo("welcome"));
        AssertNoTemporaries();
    }

    [Test]
    public async Task MultiLayerImageWithWhiteouts()
    {
        RequireRoot("whiteouts are character devices and trusted.* xattrs");
        byte[] lower = new TestTar().Dir("etc/").File("etc/old", "old").Dir("var/").Dir("var/cache/").File("var/cache/stale", "s").Build();
        byte[] upper = new TestTar()
            .Dir("etc/").Whiteout("etc/.wh.old")
            .Dir("var/cache/").File("var/cache/fresh", "f").Whiteout("var/cache/.wh..wh..opq")
            .Dir("run/", mode: 0x1ED).Fifo("run/pipe").Symlink("run/link", "/etc/old")
            .File("usr-bin-passwd", "p", mode: 0x9ED).HardLink("passwd-link", "usr-bin-passwd").Build();
        var image = TestImage.Create([lower, upper], ["layers:latest"], compression: "+gzip");
        var store = OpenStore();
        var loaded = (await Load(store, TestArchives.Pack(TestArchives.DockerSave(image)))).Single();
        string top = store.GetLayerDirectories(loaded)[0];
        var whiteout = Sys.Lstat(Path.Combine(top, "etc/old"));
        Assert.That((whiteout.FileType, whiteout.Rdev), Is.EqualTo((0x2000u, 0UL)), "c 0,0");
        Assert.That(Sys.GetXattr(Path.Combine(top, "var/cache"), "trusted.overlay.opaque"), Is.EqualTo("y"u8.ToArray()));
        Assert.That(File.ReadAllText(Path.Combine(top, "var/cache/fresh")), Is.EqualTo("f"));
        Assert.That(Sys.Lstat(Path.Combine(top, "run/pipe")).FileType, Is.EqualTo(0x1000u));
        Assert.That(new FileInfo(Path.Combine(top, "run/link")).LinkTarget, Is.EqualTo("/etc/old"));
        Assert.That(Sys.Lstat(Path.Combine(top, "usr-bin-passwd")).Permissions, Is.EqualTo(0x9EDu));
        Assert.That(Sys.Lstat(Path.Combine(top, "passwd-link")).Inode, Is.EqualTo(Sys.Lstat(Path.Combine(top, "usr-bin-passwd")).Inode));
        string bottom = store.GetLayerDirectories(loaded)[1];
        Assert.That(File.ReadAllText(Path.Combine(bottom, "etc/old")), Is.EqualTo("old"), "lower layers are untouched");
    }

    [Test]
    public async Task ProgressReportsLayersAndImages()
    {
        var image = TestImage.Create([BaseLayer, TopLayer], ["progress:latest"]);
        var events = new ConcurrentQueue<ImageLoadProgress>();
        var store = OpenStore();
        await store.LoadAsync(new ChunkedStream(TestArchives.Pack(TestArchives.DockerSave(image))), new SynchronousProgress(events.Enqueue));
        var done = events.Where(e => e.Kind == ImageLoadProgressKind.LayerDone).Select(e => e.Digest).ToList();
        Assert.That(done, Is.EquivalentTo(image.DiffIds));
        var loaded = events.Single(e => e.Kind == ImageLoadProgressKind.ImageLoaded);
        Assert.That((loaded.Name, loaded.Digest), Is.EqualTo(("progress:latest", image.Id)));
    }

    [Test]
    public async Task LoadingTwiceSharesLayers()
    {
        var image = TestImage.Create([BaseLayer, TopLayer], ["twice:latest"]);
        byte[] archive = TestArchives.Pack(TestArchives.DockerSave(image));
        var store = OpenStore();
        await Load(store, archive);
        var before = Snapshot();
        var again = (await Load(store, archive)).Single();
        Assert.That(again.Id, Is.EqualTo(image.Id));
        Assert.That(LayerDirectories(), Has.Length.EqualTo(2));
        Assert.That(Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public async Task ConcurrentLoadsOfTheSameArchive()
    {
        var image = TestImage.Create([BaseLayer, TestImage.SimpleLayer("big", new string('x', 2_000_000))], ["concurrent:latest"]);
        byte[] archive = TestArchives.Pack(TestArchives.DockerSave(image));
        var store = OpenStore();
        var results = await Task.WhenAll(Load(store, archive), Load(store, archive), Load(store, archive));
        Assert.That(results.Select(r => r.Single().Id), Is.All.EqualTo(image.Id));
        Assert.That(LayerDirectories(), Has.Length.EqualTo(2));
        Assert.That(store.List(), Has.Count.EqualTo(1));
        AssertNoTemporaries();
    }

    [Test]
    public async Task TwoImagesShareTheirBaseLayer()
    {
        var a = TestImage.Create([BaseLayer, TestImage.SimpleLayer("a")], ["a:latest"]);
        var b = TestImage.Create([BaseLayer, TestImage.SimpleLayer("b")], ["b:latest"]);
        var store = OpenStore();
        await Load(store, TestArchives.Pack(TestArchives.DockerSave(a)));
        await Load(store, TestArchives.Pack(TestArchives.DockerSave(b)));
        Assert.That(LayerDirectories(), Has.Length.EqualTo(3));
        Assert.That(store.GetLayerDirectories(store.Find("a")!)[1], Is.EqualTo(store.GetLayerDirectories(store.Find("b")!)[1]));
    }

    [Test]
    public async Task DuplicateEntryWithTheSameContentIsAccepted()
    {
        var image = TestImage.Create([BaseLayer], ["dup:latest"]);
        var files = TestArchives.DockerSave(image);
        files.AddRange(files.Where(f => f.Name.StartsWith("blobs/", StringComparison.Ordinal)).ToList());
        var store = OpenStore();
        Assert.That((await Load(store, TestArchives.Pack(files))).Single().Id, Is.EqualTo(image.Id));
        AssertNoTemporaries();
    }

    [Test]
    public async Task CancelledLoadLeavesNothing()
    {
        var image = TestImage.Create([BaseLayer, TopLayer], ["cancelled:latest"]);
        var store = OpenStore();
        var before = Snapshot();
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(e =>
        {
            if (e.Kind == ImageLoadProgressKind.LayerDone)
                cancellation.Cancel();
        });
        var load = store.LoadAsync(new ChunkedStream(TestArchives.Pack(TestArchives.DockerSave(image))), progress, cancellation.Token);
        Assert.That(async () => await load, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Snapshot(), Is.EqualTo(before));
        await Task.CompletedTask;
    }

    private void AssertNoTemporaries() =>
        Assert.That(Directory.EnumerateFileSystemEntries(StoreRoot, ".tmp-*", SearchOption.AllDirectories), Is.Empty);

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one records events at once.</summary>
    private sealed class SynchronousProgress(Action<ImageLoadProgress> report) : IProgress<ImageLoadProgress>
    {
        public void Report(ImageLoadProgress value) => report(value);
    }
}
