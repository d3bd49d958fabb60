using System.Formats.Tar;
using System.Text.Json;
using Berth.Common;
using Berth.Engine.Images;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>Images made by the store (import, commit's layer on a parent), saved, loaded again, pruned and measured.</summary>
public sealed class ImageCreateSaveTests : StoreTestBase
{
    private static byte[] BaseLayer() => new TestTar().Dir("bin/").File("bin/tool", new byte[50_000]).File("etc/os", "base\n").Build();

    private static byte[] ChildLayer() => new TestTar().File("data/big", new byte[200_000]).Whiteout("etc/.wh.os").Build();

    private static async Task<Image> ImportAsync(ImageStore store, byte[] tar, string? tag = "base:1") =>
        await store.CreateImageAsync(new NewImage { Layer = new MemoryStream(tar), Comment = "Imported from -", Config = ConfigChanges.Apply(null, ["CMD [\"sh\"]"]), Tag = tag is null ? null : ImageReference.Parse(tag) });

    private static byte[] Save(ImageStore store, params string[] names)
    {
        using var export = store.OpenExport(names);
        var output = new MemoryStream();
        export.WriteToAsync(output).GetAwaiter().GetResult();
        return output.ToArray();
    }

    private static Dictionary<string, byte[]> Entries(byte[] archive)
    {
        var entries = new Dictionary<string, byte[]>();
        using var reader = new TarReader(new MemoryStream(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = data.ToArray();
        }
        return entries;
    }

    [Test]
    public async Task ImportStoresOneLayerWithItsHistoryAndConfig()
    {
        RequireRoot("layers keep owners");
        var store = OpenStore();
        var image = await ImportAsync(store, TestTar.Gzip(BaseLayer()));
        Assert.That(image.DiffIds, Is.EqualTo(new[] { TestTar.Sha256(BaseLayer()) }), "the DiffID is of the uncompressed tar");
        Assert.That(image.RepoTags, Is.EqualTo(new[] { "base:1" }));
        Assert.That(image.Config.Config!.Cmd, Is.EqualTo(new[] { "sh" }));
        Assert.That(image.LastTagTime, Is.Not.Null);
        var history = store.History(image);
        Assert.That(history, Has.Count.EqualTo(1));
        Assert.That(history[0].Comment, Is.EqualTo("Imported from -"));
        Assert.That(history[0].Size, Is.EqualTo(50_000 + 5));
        Assert.That(File.ReadAllText(Path.Combine(store.GetLayerDirectories(image)[0], "etc/os")), Is.EqualTo("base\n"));
    }

    [Test]
    public void ANonTarIsRefusedAndNothingIsStored()
    {
        var store = OpenStore();
        Assert.That(async () => await ImportAsync(store, "this is not a tar archive, just some text that is long enough"u8.ToArray()), Throws.TypeOf<ImageFormatException>());
        Assert.That(store.List(), Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(StoreRoot, "layers")), Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(StoreRoot, "blobs", "sha256")), Is.Empty);
    }

    [Test]
    public async Task AChildSharesItsParentsLayersAndAnEmptyLayerAddsNone()
    {
        RequireRoot("layers keep owners");
        var store = OpenStore();
        var parent = await ImportAsync(store, BaseLayer());
        var child = await store.CreateImageAsync(new NewImage { Parent = parent, Layer = new MemoryStream(ChildLayer()), CreatedBy = "sh -c change", Tag = ImageReference.Parse("child:1") });
        Assert.That(child.ChainIds, Has.Count.EqualTo(2));
        Assert.That(child.ChainIds[0], Is.EqualTo(parent.ChainIds[0]));
        var layers = store.GetLayerDirectories(child);
        Assert.That(layers[1], Is.EqualTo(store.GetLayerDirectories(parent)[0]), "the parent's layer is the same directory");
        Assert.That(Sys.Lstat(Path.Combine(layers[0], "etc/os")).IsWhiteout, Is.True, "the whiteout is an overlay whiteout in the layer");

        var empty = await store.CreateImageAsync(new NewImage { Parent = child, Layer = new MemoryStream(new byte[1024]), CreatedBy = "nothing" });
        Assert.That(empty.ChainIds, Is.EqualTo(child.ChainIds));
        Assert.That(store.History(empty).Select(h => (h.CreatedBy, h.EmptyLayer, h.Size)), Is.EqualTo(new[] { ("nothing", true, 0L), ("sh -c change", false, 200_000L), ("", false, 50_005L) }));
    }

    [Test]
    public async Task SaveWritesTheDocker25LayoutAndLoadGivesTheSameIds()
    {
        RequireRoot("layers keep owners");
        var store = OpenStore();
        var parent = await ImportAsync(store, TestTar.Zstd(BaseLayer()));
        var child = await store.CreateImageAsync(new NewImage { Parent = parent, Layer = new MemoryStream(ChildLayer()), Tag = ImageReference.Parse("child:1") });
        store.Tag(child, ImageReference.Parse("child:2"));
        byte[] archive = Save(store, "child", parent.Id);
        var entries = Entries(archive);
        Assert.That(entries.Keys, Is.SupersetOf(new[] { "blobs/", "blobs/sha256/", "index.json", "manifest.json", "oci-layout", "repositories" }));
        Assert.That(entries.Keys.Count(k => k.StartsWith("blobs/sha256/") && k.Length > 13), Is.EqualTo(2 + 2 + 2), "two layers, two configs, two manifests, each once");
        var manifest = JsonDocument.Parse(entries["manifest.json"]).RootElement;
        Assert.That(manifest.GetArrayLength(), Is.EqualTo(2));
        Assert.That(manifest[0].GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()), Is.EquivalentTo(new[] { "child:1", "child:2" }));
        Assert.That(manifest[1].GetProperty("RepoTags").GetArrayLength(), Is.Zero, "saved by ID: no tag");
        var index = JsonDocument.Parse(entries["index.json"]).RootElement.GetProperty("manifests");
        Assert.That(index.GetArrayLength(), Is.EqualTo(3));
        Assert.That(index[0].GetProperty("annotations").GetProperty("io.containerd.image.name").GetString(), Is.EqualTo("docker.io/library/child:1"));
        var ociManifest = JsonDocument.Parse(entries["blobs/sha256/" + index[0].GetProperty("digest").GetString()![7..]]).RootElement;
        Assert.That(ociManifest.GetProperty("layers")[0].GetProperty("mediaType").GetString(), Is.EqualTo("application/vnd.oci.image.layer.v1.tar+zstd"));

        var other = new ImageStore(Path.Combine(TempRoot, "other"));
        var loaded = await other.LoadAsync(new MemoryStream(archive));
        Assert.That(loaded.Select(i => i.Id), Is.EquivalentTo(new[] { child.Id, parent.Id }));
        Assert.That(other.Find("child:2")!.Id, Is.EqualTo(child.Id));
        Assert.That(Sys.Lstat(Path.Combine(other.GetLayerDirectories(other.Find("child:1")!)[0], "etc/os")).IsWhiteout, Is.True);
        Assert.That(() => store.OpenExport(["missing:1"]), Throws.TypeOf<ImageNotFoundException>());
    }

    [Test]
    public async Task SharedLayersAreStoredOnceAndRemovalFreesExactlyWhatNoOtherImageUses()
    {
        RequireRoot("layers keep owners");
        var store = OpenStore();
        var parent = await ImportAsync(store, BaseLayer());
        var child = await store.CreateImageAsync(new NewImage { Parent = parent, Layer = new MemoryStream(ChildLayer()), Tag = ImageReference.Parse("child:1") });
        var usage = store.DiskUsage();
        Assert.That(usage.LayersSize, Is.EqualTo(50_005 + 200_000), "the shared layer counts once");
        Assert.That(usage.Images.Single(i => i.Image.Id == child.Id).SharedSize, Is.EqualTo(50_005));
        Assert.That(Directory.GetDirectories(Path.Combine(StoreRoot, "layers")), Has.Length.EqualTo(2));

        string childOnlyLayer = Path.GetDirectoryName(store.GetLayerDirectories(child)[0])!;
        string childOnlyBlob = Path.Combine(StoreRoot, "blobs", "sha256", child.DiffIds[1][7..]);
        long expected = DiskBytes(childOnlyLayer) + DiskBytes(childOnlyBlob) + DiskBytes(Path.Combine(StoreRoot, "blobs", "sha256", child.Id[7..]));
        long before = DiskBytes(Path.Combine(StoreRoot, "layers")) + DiskBytes(Path.Combine(StoreRoot, "blobs"));
        store.Remove("child:1", force: false, _ => false);
        long after = DiskBytes(Path.Combine(StoreRoot, "layers")) + DiskBytes(Path.Combine(StoreRoot, "blobs"));
        Assert.That(before - after, Is.EqualTo(expected), "exactly the child's own layer, blob and config were freed");
        Assert.That(Directory.Exists(store.GetLayerDirectories(parent)[0]), Is.True);

        var pruned = store.Prune(all: true, _ => true, _ => false);
        Assert.That(pruned.SpaceReclaimed, Is.EqualTo(50_005));
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(StoreRoot, "layers")), Is.Empty, "no layer left");
    }

    [Test]
    public async Task PruneWithoutAllRemovesOnlyDanglingUnusedImages()
    {
        RequireRoot("layers keep owners");
        var store = OpenStore();
        var tagged = await ImportAsync(store, BaseLayer());
        var dangling = await ImportAsync(store, ChildLayer(), tag: null);
        var used = await ImportAsync(store, new TestTar().File("x", "used").Build(), tag: null);
        var result = store.Prune(all: false, _ => true, id => id == used.Id);
        Assert.That(result.Removed.Select(r => r.Image.Id), Is.EqualTo(new[] { dangling.Id }));
        Assert.That(result.SpaceReclaimed, Is.EqualTo(200_000));
        Assert.That(store.List().Select(i => i.Id), Is.EquivalentTo(new[] { tagged.Id, used.Id }));
    }

    /// <summary>Allocated bytes of a tree as du counts them (st_blocks, each inode once): what removing it gives back.</summary>
    private static long DiskBytes(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("du", ["-s", "--block-size=1", path]) { RedirectStandardOutput = true };
        using var du = System.Diagnostics.Process.Start(start)!;
        string output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        Assert.That(du.ExitCode, Is.Zero, $"du {path}");
        return long.Parse(output.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
