namespace Berth.Network.Tests;

/// <summary>The store's two files: durable definitions, fsync-less endpoint changes of starts and exits.</summary>
[TestFixture]
public sealed class NetworkStoreTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("berth-network-store-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private static NetworkRecord Network() => new() { Id = new string('a', 64), Name = "net", Driver = NetworkDrivers.Bridge, Subnet = "10.9.0.0/24", Gateway = "10.9.0.1" };

    private static EndpointRecord Endpoint(string container, string address) =>
        new() { ContainerId = container, ContainerName = container, EndpointId = "e" + container, IPv4Address = address, MacAddress = "02:42:0a:09:00:02" };

    [Test]
    public void TheNewerOfTheTwoFilesWins()
    {
        var store = new NetworkStore(_directory);
        var network = Network();
        store.Save(network);
        network.Endpoints["c1"] = Endpoint("c1", "10.9.0.2");
        store.SaveRuntime(network);
        Assert.That(new NetworkStore(_directory).LoadAll().Single().Endpoints.Keys, Is.EquivalentTo(new[] { "c1" }), "a start's endpoint outlives berthd");

        network.Endpoints.Clear();
        network.Labels["changed"] = "durably";
        store.Save(network);
        var loaded = new NetworkStore(_directory).LoadAll().Single();
        Assert.That(loaded.Endpoints, Is.Empty, "the later durable write wins over the older run file");
        Assert.That(loaded.Labels, Contains.Key("changed"));
    }

    [Test]
    public void ATornRunFileFallsBackToTheDurableRecord()
    {
        var store = new NetworkStore(_directory);
        var network = Network();
        network.Endpoints["c1"] = Endpoint("c1", "10.9.0.2");
        store.Save(network);
        store.SaveRuntime(network);
        // What a power loss may leave of a write that was never fsync'd.
        File.WriteAllText(Path.Combine(_directory, network.Id + ".run.json"), "");
        var loaded = new NetworkStore(_directory).LoadAll();
        Assert.That(loaded.Single().Name, Is.EqualTo("net"));
        File.WriteAllText(Path.Combine(_directory, network.Id + ".run.json"), "{\"Id\":\"" + network.Id + "\",\"Na");
        Assert.That(new NetworkStore(_directory).LoadAll().Single().Endpoints.Keys, Is.EquivalentTo(new[] { "c1" }));
    }

    [Test]
    public void DeleteRemovesBothFiles()
    {
        var store = new NetworkStore(_directory);
        var network = Network();
        store.Save(network);
        store.SaveRuntime(network);
        store.Delete(network.Id);
        Assert.That(Directory.EnumerateFileSystemEntries(_directory), Is.Empty);
        Assert.That(new NetworkStore(_directory).LoadAll(), Is.Empty);
    }
}
