using Berth.Engine.Events;
using Berth.Engine.Volumes;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Berth.Engine.Tests.Volumes;

public sealed class VolumeStoreTests
{
    private string _root = null!;

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("berth-volumes-").FullName;

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    private VolumeStore Open(EngineEvents? events = null)
    {
        var store = new VolumeStore(_root, events ?? new EngineEvents(), NullLogger.Instance);
        store.Load();
        return store;
    }

    [Test]
    public void A_volume_outlives_its_store_and_an_interrupted_create_is_cleaned_up()
    {
        var events = new EngineEvents();
        using var subscription = events.Subscribe();
        var created = Open(events).Create("data", null, new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }, new Dictionary<string, string> { ["app"] = "web" });
        Assert.That(created.Mountpoint, Is.EqualTo(Path.Combine(_root, "data", "_data")));
        Assert.That(Directory.Exists(created.Mountpoint), Is.True);
        Directory.CreateDirectory(Path.Combine(_root, "half", "_data")); // a crash before volume.json was written

        var reopened = Open();
        var volume = reopened.Get("data");
        Assert.That((volume.Driver, volume.Labels["app"], volume.Options["type"]), Is.EqualTo(("local", "web", "tmpfs")));
        Assert.That(volume.CreatedAt, Is.EqualTo(created.CreatedAt).Within(TimeSpan.FromSeconds(1)));
        Assert.That(reopened.TryGet("half"), Is.Null);
        Assert.That(Directory.Exists(Path.Combine(_root, "half")), Is.False);
    }

    [Test]
    public void Create_is_idempotent_and_a_nameless_volume_is_anonymous()
    {
        var store = Open();
        var first = store.Create("same", null, null, new Dictionary<string, string> { ["a"] = "1" });
        Assert.That(store.Create("same"), Is.SameAs(first));
        var anonymous = store.Create(null);
        Assert.That(anonymous.Name, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(anonymous.IsAnonymous, Is.True);
        Assert.That(first.IsAnonymous, Is.False);
    }

    [Test]
    public void Remove_refuses_a_volume_in_use_and_force_ignores_a_missing_one()
    {
        var store = Open();
        store.Create("used");
        store.UsersOf = name => name == "used" ? ["c1"] : [];
        Assert.That(() => store.Remove("used"), Throws.TypeOf<VolumeInUseException>().With.Message.EqualTo("remove used: volume is in use - [c1]"));
        Assert.That(() => store.Remove("missing"), Throws.TypeOf<VolumeNotFoundException>().With.Message.EqualTo("get missing: no such volume"));
        Assert.DoesNotThrow(() => store.Remove("missing", force: true));
    }

    [Test]
    public void Prune_takes_unused_anonymous_volumes_unless_all_and_counts_their_bytes()
    {
        var store = Open();
        var anonymous = store.Create(null);
        File.WriteAllBytes(Path.Combine(anonymous.Mountpoint, "f"), new byte[1000]);
        store.Create("named");
        var used = store.Create(null);
        store.UsersOf = name => name == used.Name ? ["c1"] : [];

        var (deleted, reclaimed) = store.Prune(all: false, _ => true);
        Assert.That(deleted, Is.EqualTo(new[] { anonymous.Name }));
        Assert.That(reclaimed, Is.EqualTo(1000));
        Assert.That(store.Prune(all: true, v => v.Labels.ContainsKey("nope")).Deleted, Is.Empty);
        Assert.That(store.Prune(all: true, _ => true).Deleted, Is.EqualTo(new[] { "named" }));
        Assert.That(store.List().Select(v => v.Name), Is.EqualTo(new[] { used.Name }));
    }

    [TestCase("a", "volume name is too short")]
    [TestCase("a/b", "\"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed")]
    [TestCase("..", "includes invalid characters")]
    [TestCase("-x", "includes invalid characters")]
    public void Bad_names_are_refused_with_moby_s_words(string name, string message)
    {
        var store = Open();
        Assert.That(() => store.Create(name), Throws.TypeOf<InvalidParameterException>().With.Message.StartsWith($"create {name}: ").And.Message.Contains(message));
        Assert.That(Directory.EnumerateFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void Driver_options_are_checked_as_the_local_driver_does()
    {
        var store = Open();
        Assert.That(() => store.Create("v1", "flocker"), Throws.TypeOf<VolumeDriverNotFoundException>().With.Message.EqualTo("error looking up volume plugin flocker: plugin \"flocker\" not found"));
        Assert.That(() => store.Create("v1", null, new Dictionary<string, string> { ["colour"] = "red" }), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("create v1: invalid option: \"colour\""));
        Assert.That(() => store.Create("v1", null, new Dictionary<string, string> { ["type"] = "tmpfs" }), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("create v1: missing required option: \"device\""));
        Assert.That(() => store.Create("v1", null, new Dictionary<string, string> { ["o"] = "size=1m", ["device"] = "tmpfs" }), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("missing required option: \"type\""));
        Assert.That(() => store.Create("v1", null, new Dictionary<string, string> { ["size"] = "10m" }), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("quota size requested but no quota support"));
        Assert.That(store.List(), Is.Empty);
    }
}
