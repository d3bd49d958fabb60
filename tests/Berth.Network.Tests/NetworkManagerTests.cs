using System.Diagnostics;
using System.Net;
using Berth.Network.Netlink;

namespace Berth.Network.Tests;

[TestFixture]
[NonParallelizable]
public sealed class NetworkManagerTests
{
    private NetworkFixture _fixture = null!;

    [SetUp]
    public void SetUp() => _fixture = new NetworkFixture();

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public void DefaultBridgeIsBerth0WithTheFirstPoolSubnetAndTheTableExists()
    {
        var bridge = _fixture.Manager.Get("bridge");
        Assert.Multiple(() =>
        {
            Assert.That(bridge.BridgeName, Is.EqualTo("berth0"));
            Assert.That(bridge.Subnet, Is.EqualTo("172.17.0.0/16"));
            Assert.That(bridge.Gateway, Is.EqualTo("172.17.0.1"));
            Assert.That(_fixture.Manager.Get("host").Driver, Is.EqualTo("host"));
            Assert.That(_fixture.Manager.Get("none").Driver, Is.EqualTo("null"));
        });
        Assert.That(_fixture.HostNamespace.In("-4", "addr", "show", "dev", "berth0"), Does.Contain("inet 172.17.0.1/16"));
        Assert.That(_fixture.Host.Nft.Run("list table ip berth"), Does.Contain("map tcp_ports"));
    }

    [Test]
    public void UserNetworksSkipSubnetsThatOverlapHostRoutes()
    {
        _fixture.HostNamespace.In("link", "add", "route0", "type", "veth", "peer", "name", "route1");
        _fixture.HostNamespace.In("link", "set", "route0", "up");
        _fixture.HostNamespace.In("addr", "add", "172.18.5.1/24", "dev", "route0");
        var network = _fixture.Manager.Create(new NetworkCreateOptions { Name = "skips" });
        Assert.That(network.Subnet, Is.EqualTo("172.19.0.0/16"));
        Assert.That(network.BridgeName, Is.EqualTo("br-" + network.Id[..12]));
    }

    [Test]
    public void BadNetworkRequestsAreRefusedAndChangeNothing()
    {
        _fixture.Manager.Create(new NetworkCreateOptions { Name = "first", Subnet = "10.30.0.0/16" });
        int before = _fixture.Manager.List().Count;
        Assert.Multiple(() =>
        {
            Assert.That(() => _fixture.Manager.Create(new NetworkCreateOptions { Name = "overlap", Subnet = "10.30.1.0/24" }),
                Throws.TypeOf<NetworkException>().With.Property("Kind").EqualTo(NetworkErrorKind.Forbidden));
            Assert.That(() => _fixture.Manager.Create(new NetworkCreateOptions { Name = "gw", Subnet = "10.31.0.0/16", Gateway = "10.32.0.1" }),
                Throws.TypeOf<NetworkException>().With.Property("Kind").EqualTo(NetworkErrorKind.InvalidArgument));
            Assert.That(() => _fixture.Manager.Create(new NetworkCreateOptions { Name = "first" }),
                Throws.TypeOf<NetworkException>().With.Property("Kind").EqualTo(NetworkErrorKind.Conflict));
            Assert.That(() => _fixture.Manager.Connect("nope", "c", "c", null, [], []),
                Throws.TypeOf<NetworkException>().With.Property("Kind").EqualTo(NetworkErrorKind.NotFound));
            Assert.That(() => _fixture.Manager.Connect("first", "c", "c", "10.99.0.2", [], []),
                Throws.TypeOf<NetworkException>().With.Property("Kind").EqualTo(NetworkErrorKind.InvalidArgument));
            Assert.That(() => _fixture.Manager.Remove("bridge"),
                Throws.TypeOf<NetworkException>().With.Property("Kind").EqualTo(NetworkErrorKind.Forbidden));
        });
        _fixture.Manager.Connect("first", "c1", "c1", "10.30.0.9", [], []);
        Assert.That(() => _fixture.Manager.Connect("first", "c2", "c2", "10.30.0.9", [], []),
            Throws.TypeOf<NetworkException>().With.Property("Kind").EqualTo(NetworkErrorKind.Conflict));
        Assert.That(() => _fixture.Manager.Remove("first"),
            Throws.TypeOf<NetworkException>().With.Message.Contains("has active endpoints"));
        Assert.That(_fixture.Manager.List(), Has.Count.EqualTo(before));
    }

    [Test]
    public void ConcurrentConnectsNeverShareAnAddressAndLeasesSurviveARestart()
    {
        var network = _fixture.Manager.Create(new NetworkCreateOptions { Name = "busy", Subnet = "10.40.0.0/24" });
        var endpoints = new EndpointRecord[60];
        Parallel.For(0, endpoints.Length, i =>
            endpoints[i] = _fixture.Manager.Connect("busy", $"container{i:D2}", $"c{i}", null, [], []));
        var addresses = endpoints.Select(e => e.IPv4Address).ToList();
        Assert.That(addresses, Is.Unique);
        Assert.That(addresses, Does.Not.Contain("10.40.0.1").And.Not.Contain("10.40.0.0"));
        var reloaded = new NetworkStore(Path.Combine(_fixture.DataDirectory, "networks")).LoadAll().Single(n => n.Id == network.Id);
        Assert.That(reloaded.Endpoints.Values.Select(e => e.IPv4Address), Is.EquivalentTo(addresses));
    }

    [Test]
    public void RecoveryKeepsTheEndpointsAndPortsOfContainersThatOutlivedBerthd()
    {
        var kept = _fixture.Container();
        var died = _fixture.Container();
        _fixture.Manager.Connect("bridge", "kept000000000000", "kept", null, [], []);
        _fixture.Manager.Connect("bridge", "died000000000000", "died", null, [], []);
        _fixture.Manager.Wire("bridge", "kept000000000000", kept.Path, [new PortMapping("tcp", "", 18091, 80)], defaultRoute: true);
        _fixture.Manager.Wire("bridge", "died000000000000", died.Path, [new PortMapping("tcp", "", 18092, 80)], defaultRoute: true);

        // What a new berthd finds on disk (the wires' fsync-less run files): both endpoints with their ports.
        var reloaded = new NetworkStore(Path.Combine(_fixture.DataDirectory, "networks")).LoadAll().Single(n => n.Name == "bridge");
        Assert.That(reloaded.Endpoints.Values.Select(e => (e.ContainerName, e.Ports.Single().HostPort)), Is.EquivalentTo(new[] { ("kept", 18091), ("died", 18092) }));

        int dropped = _fixture.Manager.KeepEndpointsOf(new HashSet<string> { "kept000000000000" }, out var unreserved);
        Assert.That(dropped, Is.EqualTo(1));
        Assert.That(unreserved, Is.Empty);
        Assert.That(_fixture.Manager.EndpointsOf("died000000000000"), Is.Empty);
        string table = _fixture.Host.Nft.Run("list table ip berth");
        Assert.That(table, Does.Contain("18091").And.Not.Contain("18092"));
        var third = _fixture.Container();
        _fixture.Manager.Connect("bridge", "third00000000000", "third", null, [], []);
        Assert.That(() => _fixture.Manager.Wire("bridge", "third00000000000", third.Path, [new PortMapping("tcp", "", 18091, 80)], defaultRoute: true),
            Throws.TypeOf<NetworkException>().With.Message.Contains("port is already allocated"), "the kept container's port is reserved again");
        Assert.That(_fixture.Manager.Wire("bridge", "third00000000000", third.Path, [new PortMapping("tcp", "", 18092, 80)], defaultRoute: true).Ports.Single().HostPort,
            Is.EqualTo(18092), "the dropped container's port is free");
    }

    [Test]
    public void APooledNamespaceIsWiredThroughItsOwnSocketAndThePoolRefillsAndEmpties()
    {
        using var pool = new NetworkNamespacePool(size: 2);
        string name = $"bnt-pool-{Guid.NewGuid().ToString("N")[..8]}", path = "/run/netns/" + name;
        try
        {
            EndpointRecord endpoint;
            using (var ready = pool.Take())
            {
                NetworkSandbox.Create(path, ready);
                _fixture.Manager.Connect("bridge", "pool000000000000", "pooled", null, [], []);
                endpoint = _fixture.Manager.Wire("bridge", "pool000000000000", path, [], defaultRoute: true, ready.Inside);
            }
            // The handle and the socket are closed; the mount holds the namespace, configured from the socket.
            Assert.That(TestNamespace.Ip("-n", name, "-4", "addr", "show", "dev", "eth0"), Does.Contain($"inet {endpoint.IPv4Address}/16"));
            Assert.That(TestNamespace.Ip("-n", name, "link", "show", "lo"), Does.Contain("UP"));
            Assert.That(TestNamespace.Ip("-n", name, "route"), Does.Contain("default via 172.17.0.1 dev eth0"));
            for (int i = 0; i < 100 && pool.Count < 2; i++)
                Thread.Sleep(20);
            Assert.That(pool.Count, Is.EqualTo(2), "a background thread made the taken namespace's replacement");
            using (var second = pool.Take())
                Assert.That(second.Inside.LinkIndex("eth0"), Is.Null, "each namespace is new and empty");
        }
        finally
        {
            NetworkSandbox.Remove(path);
        }
        pool.Dispose();
        Assert.That(pool.Count, Is.Zero);
    }

    [Test]
    public void TwoContainersTalkThroughTheBridgeAndTheOutsideReachesAPublishedPort()
    {
        var web = _fixture.Container();
        var client = _fixture.Container();
        _fixture.Manager.Connect("bridge", "web0000000000000", "web", null, [], []);
        _fixture.Manager.Connect("bridge", "cli0000000000000", "cli", null, [], []);
        var timer = Stopwatch.StartNew();
        var webEndpoint = _fixture.Manager.Wire("bridge", "web0000000000000", web.Path,
            [new PortMapping("tcp", "", 8080, 80), new PortMapping("tcp", "", 0, 81)], defaultRoute: true);
        TestContext.Out.WriteLine($"wire with 2 published ports: {timer.Elapsed.TotalMilliseconds:F2} ms");
        timer.Restart();
        _fixture.Manager.Wire("bridge", "cli0000000000000", client.Path, [], defaultRoute: true);
        TestContext.Out.WriteLine($"wire without ports: {timer.Elapsed.TotalMilliseconds:F2} ms");

        Assert.That(web.In("-4", "addr", "show", "dev", "eth0"), Does.Contain($"inet {webEndpoint.IPv4Address}/16"));
        Assert.That(web.In("link", "show", "eth0"), Does.Contain(webEndpoint.MacAddress));
        Assert.That(web.In("route"), Does.Contain("default via 172.17.0.1 dev eth0"));
        Assert.That(webEndpoint.Ports[1].HostPort, Is.GreaterThan(1023));

        using var listener = NetworkFixture.Listen(web, 80, "hello from web");
        var webIp = IPAddress.Parse(webEndpoint.IPv4Address);
        Assert.Multiple(() =>
        {
            Assert.That(NetworkFixture.Fetch(client, new IPEndPoint(webIp, 80)), Is.EqualTo("hello from web"), "container to container");
            Assert.That(NetworkFixture.Fetch(_fixture.External, new IPEndPoint(NetworkFixture.HostAddress, 8080)), Is.EqualTo("hello from web"), "external host, DNAT");
            Assert.That(NetworkFixture.Fetch(_fixture.HostNamespace, new IPEndPoint(IPAddress.Loopback, 8080)), Is.EqualTo("hello from web"), "host on 127.0.0.1");
            Assert.That(NetworkFixture.Fetch(_fixture.HostNamespace, new IPEndPoint(NetworkFixture.HostAddress, 8080)), Is.EqualTo("hello from web"), "host on its own address");
            Assert.That(NetworkFixture.Fetch(client, new IPEndPoint(NetworkFixture.HostAddress, 8080)), Is.EqualTo("hello from web"), "another container through the published port");
            Assert.That(NetworkFixture.Fetch(web, new IPEndPoint(NetworkFixture.HostAddress, 8080)), Is.EqualTo("hello from web"), "hairpin");
        });
    }

    [Test]
    public void APortInUseIsRefusedAndNothingIsHalfConfigured()
    {
        var first = _fixture.Container();
        var second = _fixture.Container();
        _fixture.Manager.Connect("bridge", "first00000000000", "first", null, [], []);
        _fixture.Manager.Connect("bridge", "second0000000000", "second", null, [], []);
        _fixture.Manager.Wire("bridge", "first00000000000", first.Path, [new PortMapping("tcp", "", 9090, 80)], defaultRoute: true);
        Assert.That(() => _fixture.Manager.Wire("bridge", "second0000000000", second.Path, [new PortMapping("tcp", "", 9090, 80)], defaultRoute: true),
            Throws.TypeOf<NetworkException>().With.Message.Contains("port is already allocated"));
        Assert.That(second.In("link"), Does.Not.Contain("eth0"));
        Assert.That(_fixture.Manager.Get("bridge").Endpoints["second0000000000"].HostInterface, Is.Null);

        _fixture.Manager.Unwire("bridge", "first00000000000", deleteInterface: true);
        Assert.That(_fixture.Host.Nft.Run("list map ip berth tcp_ports"), Does.Not.Contain("9090"));
        _fixture.Manager.Wire("bridge", "second0000000000", second.Path, [new PortMapping("tcp", "", 9090, 80)], defaultRoute: true);
        Assert.That(_fixture.Host.Nft.Run("list map ip berth tcp_ports"), Does.Contain("9090"));
    }

    [Test]
    public void InternalNetworksHaveNoRouteOutAndRemovingANetworkRemovesItsBridgeAndRules()
    {
        var network = _fixture.Manager.Create(new NetworkCreateOptions { Name = "private", Internal = true, Subnet = "10.50.0.0/24" });
        Assert.That(_fixture.Host.Nft.Run("list table ip berth"), Does.Contain($"oifname \"{network.BridgeName}\" iifname != \"{network.BridgeName}\" drop"));
        Assert.That(_fixture.Host.Nft.Run("list table ip berth"), Does.Not.Contain("ip saddr 10.50.0.0/24 oifname"));
        var ns = _fixture.Container();
        _fixture.Manager.Connect("private", "inner00000000000", "inner", null, ["db"], []);
        _fixture.Manager.Wire("private", "inner00000000000", ns.Path, [], defaultRoute: true);
        Assert.That(ns.In("route"), Does.Not.Contain("default"));
        Assert.That(_fixture.Manager.Resolve(network.Id, "db"), Is.EqualTo(new[] { IPAddress.Parse("10.50.0.2") }));
        _fixture.Manager.Disconnect("private", "inner00000000000");
        Assert.That(ns.In("link"), Does.Not.Contain("eth0"));
        _fixture.Manager.Remove("private");
        Assert.That(_fixture.HostNamespace.In("link"), Does.Not.Contain(network.BridgeName));
        Assert.That(_fixture.Host.Nft.Run("list table ip berth"), Does.Not.Contain("10.50.0.0"));
    }

    [Test]
    public void NetlinkErrorsNameTheRequestAndTheErrno()
    {
        var error = Assert.Throws<NetlinkException>(() => _fixture.Host.Netlink.CreateBridge("berth0", 1500))!;
        Assert.That(error.Message, Does.Contain("RTM_NEWLINK bridge `berth0`").And.Contain("EEXIST"));
        Assert.That(_fixture.Host.Netlink.LinkIndex("no-such-link"), Is.Null);
    }

    [Test]
    public void RebuildAfterARestartKeepsPortsAndLeases()
    {
        var ns = _fixture.Container();
        _fixture.Manager.Connect("bridge", "keep000000000000", "keep", null, [], []);
        _fixture.Manager.Wire("bridge", "keep000000000000", ns.Path, [new PortMapping("udp", "127.0.0.1", 5353, 53)], defaultRoute: true);
        var restarted = new NetworkManager(_fixture.Host, new NetworkStore(Path.Combine(_fixture.DataDirectory, "networks")));
        restarted.Initialize();
        Assert.That(_fixture.Host.Nft.Run("list map ip berth udp_addr_ports"), Does.Contain("127.0.0.1 . 5353 : 172.17.0.2 . 53"));
        Assert.That(restarted.Get("bridge").Endpoints, Contains.Key("keep000000000000"));
    }
}
