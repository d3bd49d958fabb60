using Berth.Common;
using Berth.Engine.Images;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>Tags, removal with Docker's conflict rules, and state that survives reopening the store.</summary>
public sealed class ImageStoreTests : StoreTestBase
{
    private static readonly byte[] BaseLayer = TestImage.SimpleLayer("base");

    [Test]
    public async Task TagAndFind()
    {
        var (store, image) = await LoadOne(["app:1"]);
        store.Tag(image, ImageReference.Parse("localhost:5000/team/app:v1"));
        Assert.That(store.Find("localhost:5000/team/app:v1")?.Id, Is.EqualTo(image.Id));
        Assert.That(store.Find("app:1")!.RepoTags, Is.EqualTo(new[] { "app:1", "localhost:5000/team/app:v1" }));
        Assert.Throws<InvalidImageReferenceException>(() => store.Tag(image, ImageReference.Parse("app@sha256:" + new string('a', 64))));
    }

    [Test]
    public async Task TagMovesToTheNewerImage()
    {
        var store = OpenStore();
        var old = TestImage.Create([BaseLayer], ["app:latest"], cmd: "old");
        var newer = TestImage.Create([BaseLayer], ["app:latest"], cmd: "new");
        await Load(store, Pack(old));
        await Load(store, Pack(newer));
        Assert.That(store.Find("app")!.Id, Is.EqualTo(newer.Id));
        Assert.That(store.Find(old.Id)!.RepoTags, Is.Empty, "the old image stays, untagged");
    }

    [Test]
    public async Task RemoveOneOfSeveralTagsOnlyUntags()
    {
        var (store, image) = await LoadOne(["app:1", "app:2"]);
        var result = store.Remove("app:1", force: false, _ => false);
        Assert.That(result.Untagged, Is.EqualTo(new[] { "app:1" }));
        Assert.That(result.Deleted, Is.Empty);
        Assert.That(store.Find(image.Id)!.RepoTags, Is.EqualTo(new[] { "app:2" }));
    }

    [Test]
    public async Task RemoveLastTagDeletesImageAndUnsharedLayersAndBlobs()
    {
        var store = OpenStore();
        var a = TestImage.Create([BaseLayer, TestImage.SimpleLayer("a")], ["a:latest"]);
        var b = TestImage.Create([BaseLayer, TestImage.SimpleLayer("b")], ["b:latest"]);
        await Load(store, Pack(a));
        await Load(store, Pack(b));
        var chainA = store.Find("a")!.ChainIds;

        var result = store.Remove("a", force: false, _ => false);

        Assert.That(result.Untagged, Is.EqualTo(new[] { "a:latest" }));
        Assert.That(result.Deleted, Is.EqualTo(new[] { a.Id, chainA[1] }));
        Assert.That(store.Find(a.Id), Is.Null);
        Assert.That(LayerDirectories(), Is.EquivalentTo(store.Find("b")!.ChainIds.Select(c => c[7..])));
        var blobs = Directory.GetFiles(Path.Combine(StoreRoot, "blobs/sha256")).Select(Path.GetFileName);
        Assert.That(blobs, Is.EquivalentTo(b.LayerBlobs.Append(b.Config).Select(TestTar.Hex)));
        Assert.That(File.Exists(Path.Combine(StoreRoot, "imagedb", a.Id[7..] + ".json")), Is.False);
    }

    [Test]
    public async Task RemovingTheLastTagAlsoRemovesDigestReferencesOfThatRepository()
    {
        var image = TestImage.Create([BaseLayer], compression: "+gzip");
        var store = OpenStore();
        var loaded = (await Load(store, TestArchives.Pack(TestArchives.Oci(image, "docker.io/library/oci:1")))).Single();
        Assert.That(loaded.RepoDigests, Has.Count.EqualTo(1));
        var result = store.Remove("oci:1", force: false, _ => false);
        Assert.That(result.Untagged, Is.EqualTo(new[] { "oci:1", loaded.RepoDigests[0] }));
        Assert.That(result.Deleted[0], Is.EqualTo(image.Id));
        Assert.That(store.List(), Is.Empty);
    }

    [Test]
    public async Task RemoveByDigestReferenceKeepsTheTag()
    {
        var image = TestImage.Create([BaseLayer], compression: "+gzip");
        var store = OpenStore();
        var loaded = (await Load(store, TestArchives.Pack(TestArchives.Oci(image, "docker.io/library/oci:1")))).Single();
        var result = store.Remove(loaded.RepoDigests[0], force: false, _ => false);
        Assert.That(result.Untagged, Is.EqualTo(new[] { loaded.RepoDigests[0] }));
        Assert.That(result.Deleted, Is.Empty);
        Assert.That(store.Find("oci:1")!.RepoDigests, Is.Empty);
    }

    [Test]
    public async Task RemoveImageInUse()
    {
        var (store, image) = await LoadOne(["busy:latest"]);
        var error = Assert.Throws<ImageInUseException>(() => store.Remove("busy", force: false, id => id == image.Id));
        Assert.That(error!.Message, Does.Contain("\"busy:latest\"").And.Contain(image.ShortId));
        Assert.Throws<ImageInUseException>(() => store.Remove(image.Id, force: false, _ => true));

        var forced = store.Remove("busy", force: true, _ => true);
        Assert.That(forced.Untagged, Is.EqualTo(new[] { "busy:latest" }));
        Assert.That(forced.Deleted, Is.Empty, "layers of an image in use are live lowerdirs: it is only untagged");
        Assert.That(store.Find(image.Id), Is.Not.Null);
    }

    [Test]
    public async Task RemoveByIdWithTagsInSeveralRepositoriesNeedsForce()
    {
        var (store, image) = await LoadOne(["one:latest", "two:latest"]);
        var error = Assert.Throws<ImageInUseException>(() => store.Remove(image.ShortId, force: false, _ => false));
        Assert.That(error!.Message, Does.Contain("referenced in multiple repositories"));
        var result = store.Remove(image.ShortId, force: true, _ => false);
        Assert.That(result.Untagged, Is.EquivalentTo(new[] { "one:latest", "two:latest" }));
        Assert.That(result.Deleted[0], Is.EqualTo(image.Id));
        Assert.That(store.List(), Is.Empty);
        Assert.That(LayerDirectories(), Is.Empty);
    }

    [Test]
    public async Task RemoveByIdWithTagsOfOneRepository()
    {
        var (store, image) = await LoadOne(["one:a", "one:b"]);
        var result = store.Remove(image.Id, force: false, _ => false);
        Assert.That(result.Untagged, Is.EquivalentTo(new[] { "one:a", "one:b" }));
        Assert.That(result.Deleted[0], Is.EqualTo(image.Id));
    }

    [Test]
    public void RemoveUnknownImage()
    {
        var store = OpenStore();
        var error = Assert.Throws<ImageNotFoundException>(() => store.Remove("nothere", force: false, _ => false));
        Assert.That(error!.Message, Does.Contain("nothere"));
    }

    [Test]
    public async Task RemovingALayerDoesNotFollowItsSymlinks()
    {
        string outside = Path.Combine(TempRoot, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep"), "keep");
        var image = TestImage.Create([new TestTar().Symlink("link", outside).Symlink("file", Path.Combine(outside, "keep")).Build()], ["links:latest"]);
        var store = OpenStore();
        await Load(store, Pack(image));
        store.Remove("links", force: false, _ => false);
        Assert.That(File.ReadAllText(Path.Combine(outside, "keep")), Is.EqualTo("keep"));
        Assert.That(LayerDirectories(), Is.Empty);
    }

    [Test]
    public async Task ReopeningRestoresImagesTagsAndLayers()
    {
        var (store, image) = await LoadOne(["persist:latest"]);
        store.Tag(image, ImageReference.Parse("persist:extra"));
        var reopened = OpenStore();
        var found = reopened.Find("persist:extra");
        Assert.That(found?.Id, Is.EqualTo(image.Id));
        Assert.That(found!.RepoTags, Is.EqualTo(new[] { "persist:extra", "persist:latest" }));
        Assert.That(found.Size, Is.EqualTo(image.Size));
        Assert.That(found.LoadedAt, Is.EqualTo(image.LoadedAt));
        Assert.That(reopened.GetLayerDirectories(found), Is.EqualTo(store.GetLayerDirectories(image)));
    }

    [Test]
    public async Task OpeningDeletesStaleTemporariesAndOrphans()
    {
        var (_, image) = await LoadOne(["kept:latest"]);
        string staleLayer = Path.Combine(StoreRoot, "layers", ".tmp-crashed");
        Directory.CreateDirectory(Path.Combine(staleLayer, "diff", "etc"));
        File.WriteAllText(Path.Combine(staleLayer, "diff", "etc", "half"), "half");
        File.WriteAllText(Path.Combine(StoreRoot, "blobs/sha256", ".tmp-0123"), "partial blob");
        File.WriteAllText(Path.Combine(StoreRoot, ".tmp-repositories.json-99"), "{");
        string orphanLayer = Path.Combine(StoreRoot, "layers", new string('d', 64));
        Directory.CreateDirectory(Path.Combine(orphanLayer, "diff"));
        string orphanBlob = Path.Combine(StoreRoot, "blobs/sha256", new string('e', 64));
        File.WriteAllText(orphanBlob, "orphan");

        var store = OpenStore();

        Assert.That(Directory.EnumerateFileSystemEntries(StoreRoot, ".tmp-*", SearchOption.AllDirectories), Is.Empty);
        Assert.That(Directory.Exists(orphanLayer), Is.False);
        Assert.That(File.Exists(orphanBlob), Is.False);
        Assert.That(store.Find("kept")?.Id, Is.EqualTo(image.Id));
        Assert.That(LayerDirectories(), Is.EquivalentTo(image.ChainIds.Select(c => c[7..])));
    }

    [Test]
    public async Task AmbiguousIdPrefix()
    {
        var store = OpenStore();
        var images = new Dictionary<char, string>();
        for (int i = 0; ; i++)
        {
            var image = TestImage.Create([BaseLayer], cmd: $"cmd{i}");
            await Load(store, Pack(image));
            if (!images.TryAdd(image.Id[7], image.Id))
            {
                var error = Assert.Throws<InvalidImageReferenceException>(() => store.Find(image.Id[7].ToString()));
                Assert.That(error!.Message, Does.Contain("matches more than one image"));
                Assert.That(store.Find(image.Id[7..])?.Id, Is.EqualTo(image.Id));
                return;
            }
        }
    }

    [Test]
    public async Task ListShowsEveryImage()
    {
        var store = OpenStore();
        await Load(store, TestArchives.Pack(TestArchives.DockerSave(
            TestImage.Create([BaseLayer], ["x:1"]), TestImage.Create([BaseLayer, TestImage.SimpleLayer("y")], ["y:1"]))));
        Assert.That(store.List().SelectMany(i => i.RepoTags), Is.EquivalentTo(new[] { "x:1", "y:1" }));
        Assert.That(File.ReadAllText(Path.Combine(StoreRoot, "repositories.json")),
            Does.Contain("\"Repositories\":{\"x\":{\"x:1\":\"sha256:"));
    }

    private async Task<(ImageStore Store, Image Image)> LoadOne(string[] tags)
    {
        var store = OpenStore();
        var image = (await Load(store, Pack(TestImage.Create([BaseLayer, TestImage.SimpleLayer("top")], tags)))).Single();
        return (store, image);
    }

    private static byte[] Pack(TestImage image) => TestArchives.Pack(TestArchives.DockerSave(image));
}
