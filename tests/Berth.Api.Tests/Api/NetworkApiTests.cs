using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>
/// /networks against a berthd whose bridges and nft table live in a network namespace this fixture creates
/// (--network-namespace), so nothing here touches the machine's interfaces or firewall; deleting the namespace
/// removes every bridge and rule berthd made.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NetworkApiTests
{
    private Berth.Network.Tests.TestNamespace? _namespace;
    private BerthDaemon _daemon = null!;
    private ApiClient _api = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        _namespace = new Berth.Network.Tests.TestNamespace("api");
        _daemon = await BerthDaemon.StartAsync(extraArguments: ["--network-namespace", _namespace.Path]);
        _api = _daemon.Client();
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_api is not null)
            await _api.DisposeAsync();
        if (_daemon is not null)
            await _daemon.DisposeAsync();
        _namespace?.Dispose();
    }

    [Test]
    public async Task ThePredefinedNetworksAreListedWithDockersShapes()
    {
        var list = await _api.GetAsync("/v1.50/networks");
        Assert.That(list.Status, Is.EqualTo(200), list.ToString());
        var names = list.Json.EnumerateArray().Select(n => n.GetProperty("Name").GetString()).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "bridge", "host", "none" }));
        var bridge = await _api.GetAsync("/v1.50/networks/bridge");
        Assert.Multiple(() =>
        {
            Assert.That(bridge.Json.GetProperty("Driver").GetString(), Is.EqualTo("bridge"));
            Assert.That(bridge.Json.GetProperty("Scope").GetString(), Is.EqualTo("local"));
            Assert.That(bridge.Json.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString(), Is.EqualTo("172.17.0.0/16"));
            Assert.That(bridge.Json.GetProperty("Options").GetProperty("com.docker.network.bridge.name").GetString(), Is.EqualTo("berth0"));
        });
        Assert.That(_namespace!.In("-4", "addr", "show", "dev", "berth0"), Does.Contain("172.17.0.1/16"));
    }

    [Test]
    public async Task ComposeCreatesInspectsAndRemovesItsNetwork()
    {
        var absent = await _api.GetAsync("/v1.41/networks/seed_default");
        Assert.That(absent.Status, Is.EqualTo(404), absent.ToString());
        var created = await _api.PostAsync("/v1.41/networks/create",
            """{"Name":"seed_default","Attachable":true,"CheckDuplicate":true,"Labels":{"com.docker.compose.project":"seed"}}""");
        Assert.That(created.Status, Is.EqualTo(201), created.ToString());
        string id = created.Json.GetProperty("Id").GetString()!;
        var inspect = await _api.GetAsync("/v1.41/networks/seed_default");
        Assert.Multiple(() =>
        {
            Assert.That(inspect.Json.GetProperty("Id").GetString(), Is.EqualTo(id));
            Assert.That(inspect.Json.GetProperty("Driver").GetString(), Is.EqualTo("bridge"));
            Assert.That(inspect.Json.GetProperty("Options").EnumerateObject().Count(), Is.Zero, "compose compares Options with its driver_opts");
            Assert.That(inspect.Json.GetProperty("Internal").GetBoolean(), Is.False);
            Assert.That(inspect.Json.GetProperty("EnableIPv6").GetBoolean(), Is.False);
        });
        var filtered = await _api.GetAsync("/v1.50/networks?filters=" + Uri.EscapeDataString("""{"label":{"com.docker.compose.project=seed":true}}"""));
        Assert.That(filtered.Json.EnumerateArray().Select(n => n.GetProperty("Name").GetString()), Is.EqualTo(new[] { "seed_default" }));
        var duplicate = await _api.PostAsync("/v1.50/networks/create", """{"Name":"seed_default"}""");
        Assert.That(duplicate.Status, Is.EqualTo(409), duplicate.ToString());
        var removed = await _api.DeleteAsync("/v1.41/networks/" + id[..12]);
        Assert.That(removed.Status, Is.EqualTo(204), removed.ToString());
        Assert.That(_namespace!.In("link"), Does.Not.Contain("br-" + id[..12]));
    }

    [Test]
    public async Task BadRequestsGetDockersStatuses()
    {
        var first = await _api.PostAsync("/v1.50/networks/create", """{"Name":"taken","Driver":"bridge","IPAM":{"Config":[{"Subnet":"10.77.0.0/16"}]}}""");
        Assert.That(first.Status, Is.EqualTo(201), first.ToString());
        int overlap = (await _api.PostAsync("/v1.50/networks/create", """{"Name":"overlap","IPAM":{"Config":[{"Subnet":"10.77.1.0/24"}]}}""")).Status;
        int gateway = (await _api.PostAsync("/v1.50/networks/create", """{"Name":"gw","IPAM":{"Config":[{"Subnet":"10.78.0.0/16","Gateway":"10.79.0.1"}]}}""")).Status;
        int badName = (await _api.PostAsync("/v1.50/networks/create", """{"Name":"bad/name"}""")).Status;
        int driver = (await _api.PostAsync("/v1.50/networks/create", """{"Name":"x","Driver":"overlay"}""")).Status;
        int predefined = (await _api.DeleteAsync("/v1.50/networks/bridge")).Status;
        int unknown = (await _api.DeleteAsync("/v1.50/networks/nosuchnetwork")).Status;
        Assert.Multiple(() =>
        {
            Assert.That(overlap, Is.EqualTo(403), "overlapping subnet");
            Assert.That(gateway, Is.EqualTo(400), "gateway outside the subnet");
            Assert.That(badName, Is.EqualTo(400), "invalid name");
            Assert.That(driver, Is.EqualTo(404), "unknown driver");
            Assert.That(predefined, Is.EqualTo(403), "pre-defined network");
            Assert.That(unknown, Is.EqualTo(404), "unknown network");
        });
        var pruned = await _api.PostAsync("/v1.50/networks/prune");
        Assert.That(pruned.Json.GetProperty("NetworksDeleted").EnumerateArray().Select(n => n.GetString()), Does.Contain("taken"));
        Assert.That((await _api.GetAsync("/v1.50/networks/taken")).Status, Is.EqualTo(404));
    }
}
