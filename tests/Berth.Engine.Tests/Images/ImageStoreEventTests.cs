using Berth.Common;
using Berth.Engine.Events;
using Berth.Engine.Images;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>
/// The store publishes its own image events (moby's LogImageEvent), so every caller of the engine gets them, not only
/// berthd's routes: load, tag, untag, delete, import, save and prune, with the image ID as actor and the name attribute.
/// </summary>
public sealed class ImageStoreEventTests : StoreTestBase
{
    private readonly EngineEvents _events = new();

    [Test]
    public async Task LoadTagRemoveAndPruneEachPublishTheirEvents()
    {
        var store = new ImageStore(StoreRoot) { Events = _events };
        using var subscription = _events.Subscribe();
        var image = TestImage.Create([TestImage.SimpleLayer("base")], ["app:1"]);
        await store.LoadAsync(new MemoryStream(TestArchives.Pack(TestArchives.DockerSave(image))));
        var loaded = store.Find("app:1")!;
        store.Tag(loaded, ImageReference.Parse("app:2"));
        store.Remove("app:2", force: false, _ => false);
        store.Remove("app:1", force: false, _ => false);
        store.Prune(all: false, _ => true, _ => false);

        Assert.That(Drain(subscription), Is.EqualTo(new[]
        {
            ("load", loaded.Id, "app:1"),
            ("tag", loaded.Id, "app:2"),
            ("untag", loaded.Id, "app:2"),
            ("untag", loaded.Id, "app:1"),
            ("delete", loaded.Id, loaded.Id),
            ("prune", "", ""),
        }));
    }

    [Test]
    public async Task ImportAndSavePublishAfterTheImageIsStoredOrWritten()
    {
        var store = new ImageStore(StoreRoot) { Events = _events };
        using var subscription = _events.Subscribe();
        var image = await store.ImportAsync(new NewImage { Layer = new MemoryStream(TestImage.SimpleLayer("rootfs")), Tag = ImageReference.Parse("imported:1") });
        using (var export = store.OpenExport(["imported:1"]))
        {
            Assert.That(Drain(subscription), Is.EqualTo(new[] { ("tag", image.Id, "imported:1"), ("import", image.Id, image.Id) }),
                "nothing is saved before the archive is written");
            await export.WriteToAsync(Stream.Null);
        }
        Assert.That(Drain(subscription), Is.EqualTo(new[] { ("save", image.Id, "imported:1") }));
    }

    private static List<(string Action, string Actor, string Name)> Drain(EventSubscription subscription)
    {
        var events = new List<(string, string, string)>();
        while (subscription.Reader.TryRead(out var e))
        {
            Assert.That(e.Type, Is.EqualTo("image"));
            events.Add((e.Action, e.ActorId, e.Attributes.GetValueOrDefault("name", "")));
        }
        return events;
    }
}
