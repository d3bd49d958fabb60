using System.Diagnostics;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>
/// Containers on Berth's networks, through a berthd whose bridges, nft table and published ports live in a network
/// namespace this fixture creates (--network-namespace): nothing here touches the machine's interfaces or firewall.
/// The "host" of the published ports is that namespace; connections to them are made from it (ip netns exec).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerNetworkingTests
{
    private Berth.Network.Tests.TestNamespace? _netns;
    private string _dataRoot = "";
    private BerthDaemon _daemon = null!;
    private ApiClient _api = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        _netns = new Berth.Network.Tests.TestNamespace("ctr");
        _netns.In("link", "set", "lo", "up");
        _dataRoot = BerthDaemon.NewDataRoot();
        await StartBerthdAsync();
        Assert.That((await _api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive)).Status, Is.EqualTo(200));
    }

    private async Task StartBerthdAsync()
    {
        _daemon = await BerthDaemon.StartAsync(_dataRoot, "berth-test-" + _dataRoot[^12..], ["--network-namespace", _netns!.Path]);
        _api = _daemon.Client();
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_api is not null)
            await _api.DisposeAsync();
        if (_daemon is not null)
            await _daemon.DisposeAsync();
        foreach (string mount in Leaks.MountsUnder(_dataRoot).AsEnumerable().Reverse())
            Berth.Interop.Sys.TryUnmount(mount, Berth.Interop.Libc.MNT_DETACH);
        Leaks.DeleteDirectory(_dataRoot);
        Leaks.DeleteDirectory(_dataRoot + ".run");
        _netns?.Dispose();
    }

    [Test]
    public async Task TwoContainersOnAUserNetworkReachEachOtherByNameAndAlias()
    {
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-app","Driver":"bridge"}""")).Status, Is.EqualTo(201));
        string server = await RunAsync("bnt-srv", """
            {"Image":"busybox","Cmd":["nc","-ll","-p","7000","-e","echo","hello from srv"],
             "HostConfig":{"NetworkMode":"bnt-app"},
             "NetworkingConfig":{"EndpointsConfig":{"bnt-app":{"Aliases":["db"]}}}}
            """);
        var inspect = (await _api.GetAsync($"/v1.50/containers/{server}/json")).Json.GetProperty("NetworkSettings");
        var endpoint = inspect.GetProperty("Networks").GetProperty("bnt-app");
        string address = endpoint.GetProperty("IPAddress").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(address, Does.StartWith("172."));
            Assert.That(endpoint.GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "db" }));
            Assert.That(endpoint.GetProperty("DNSNames").EnumerateArray().Select(a => a.GetString()), Does.Contain("bnt-srv").And.Contain("db"));
            Assert.That(inspect.GetProperty("IPAddress").GetString(), Is.Empty, "the legacy fields describe the default bridge only");
        });

        var (exit, output) = await RunToExitAsync("""
            {"Image":"busybox","Cmd":["sh","-c","nslookup bnt-srv; nslookup db; nc bnt-srv 7000 </dev/null; nc db 7000 </dev/null; cat /etc/resolv.conf /etc/hosts"],
             "HostConfig":{"NetworkMode":"bnt-app"}}
            """);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output.Split("hello from srv").Length - 1, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain(address), output);
        await RemoveAsync(server);
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-app")).Status, Is.EqualTo(204));
    }

    [Test]
    public async Task ARunningContainerConnectsToASecondNetworkAndDisconnects()
    {
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-front"}""")).Status, Is.EqualTo(201));
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-back"}""")).Status, Is.EqualTo(201));
        string server = await RunAsync("bnt-api", """{"Image":"busybox","Cmd":["nc","-ll","-p","7000","-e","echo","from api"],"HostConfig":{"NetworkMode":"bnt-front"}}""");
        var connect = await _api.PostAsync("/v1.50/networks/bnt-back/connect", """{"Container":"bnt-api","EndpointConfig":{"Aliases":["backend"]}}""");
        Assert.That(connect.Status, Is.EqualTo(200), connect.ToString());
        var networks = (await _api.GetAsync($"/v1.50/containers/{server}/json")).Json.GetProperty("NetworkSettings").GetProperty("Networks");
        Assert.That(networks.EnumerateObject().Select(n => n.Name), Is.EquivalentTo(new[] { "bnt-front", "bnt-back" }));

        var (exit, output) = await RunToExitAsync("""{"Image":"busybox","Cmd":["nc","backend","7000"],"HostConfig":{"NetworkMode":"bnt-back"}}""");
        Assert.That((exit, output), Is.EqualTo((0L, "from api\n")));

        var disconnect = await _api.PostAsync("/v1.50/networks/bnt-back/disconnect", """{"Container":"bnt-api"}""");
        Assert.That(disconnect.Status, Is.EqualTo(200), disconnect.ToString());
        Assert.That((await _api.GetAsync("/v1.50/networks/bnt-back")).Json.GetProperty("Containers").EnumerateObject().Count(), Is.Zero);
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-back")).Status, Is.EqualTo(204));
        await RemoveAsync(server);
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-front")).Status, Is.EqualTo(204));
    }

    [Test]
    public async Task APublishedPortAnswersFromTheDaemonsNamespace()
    {
        string id = await RunAsync("bnt-web", """
            {"Image":"busybox","Cmd":["nc","-ll","-p","80","-e","echo","published"],"ExposedPorts":{"80/tcp":{},"53/udp":{}},
             "HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"18080"}],"53/udp":[{"HostIp":"127.0.0.1","HostPort":""}]}}}
            """);
        var settings = (await _api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("NetworkSettings");
        var ports = settings.GetProperty("Ports");
        Assert.Multiple(() =>
        {
            Assert.That(ports.GetProperty("80/tcp")[0].GetProperty("HostIp").GetString(), Is.EqualTo("0.0.0.0"));
            Assert.That(ports.GetProperty("80/tcp")[0].GetProperty("HostPort").GetString(), Is.EqualTo("18080"));
            Assert.That(ports.GetProperty("53/udp")[0].GetProperty("HostIp").GetString(), Is.EqualTo("127.0.0.1"));
            Assert.That(int.Parse(ports.GetProperty("53/udp")[0].GetProperty("HostPort").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(1024));
            Assert.That(settings.GetProperty("IPAddress").GetString(), Does.StartWith("172.17."));
            Assert.That(settings.GetProperty("Networks").GetProperty("bridge").GetProperty("Gateway").GetString(), Is.EqualTo("172.17.0.1"));
        });
        var summary = (await _api.GetAsync("/v1.50/containers/json")).Json.EnumerateArray().Single(c => c.GetProperty("Id").GetString() == id);
        Assert.That(summary.GetProperty("Ports").EnumerateArray().Select(p => p.GetProperty("PublicPort").GetInt32()), Does.Contain(18080));

        Assert.That(ConnectFromNamespace("127.0.0.1", 18080), Does.Contain("published"), "127.0.0.1 of the daemon's namespace");
        Assert.That(ConnectFromNamespace("172.17.0.1", 18080), Does.Contain("published"), "an address of the daemon's namespace");

        var conflict = await _api.CreateAsync(null, """{"Image":"busybox","Cmd":["true"],"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"18080"}]}}}""");
        var start = await _api.PostAsync($"/v1.50/containers/{conflict}/start");
        // moby returns libnetwork's bind failure on start as a system error (500); the CLI exits 125 either way.
        Assert.That(start.Status, Is.EqualTo(500), start.ToString());
        Assert.That(start.ToString(), Does.Contain("port is already allocated"));
        await RemoveAsync(conflict);
        await RemoveAsync(id);
        Assert.That(Run("ip", "netns", "exec", _netns!.Name, "nft", "list", "table", "ip", "berth"), Does.Not.Contain("18080"), "no port element stays");
    }

    [Test]
    public async Task DnsSettingsAndExtraHostsAreWrittenAndShownByInspect()
    {
        string id = await _api.CreateAsync(null, """
            {"Image":"busybox","Cmd":["sh","-c","cat /etc/resolv.conf /etc/hosts"],
             "HostConfig":{"Dns":["192.0.2.53"],"DnsSearch":["example.test"],"DnsOptions":["ndots:2"],"ExtraHosts":["gw:host-gateway","db.local:10.1.2.3"]}}
            """);
        var host = (await _api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("HostConfig");
        Assert.Multiple(() =>
        {
            Assert.That(host.GetProperty("Dns").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "192.0.2.53" }));
            Assert.That(host.GetProperty("DnsSearch").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "example.test" }));
            Assert.That(host.GetProperty("DnsOptions").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "ndots:2" }));
            Assert.That(host.GetProperty("ExtraHosts").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(new[] { "gw:host-gateway", "db.local:10.1.2.3" }));
        });
        Assert.That((await _api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
        Assert.That((await _api.PostAsync($"/v1.50/containers/{id}/wait")).Json.GetProperty("StatusCode").GetInt64(), Is.Zero);
        var output = await StdCopyReader.DemultiplexAsync((await _api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1")).Body);
        await RemoveAsync(id);
        Assert.That(output.Stdout, Does.StartWith("nameserver 192.0.2.53\nsearch example.test\noptions ndots:2\n"));
        Assert.That(output.Stdout, Does.Contain("172.17.0.1\tgw\n").And.Contain("10.1.2.3\tdb.local\n"), "host-gateway is the default bridge's gateway");

        var bad = await _api.PostAsync("/v1.50/containers/create", """{"Image":"busybox","HostConfig":{"ExtraHosts":["db:nowhere"]}}""");
        Assert.That(bad.Status, Is.EqualTo(400), bad.ToString());
        Assert.That(bad.Json.GetProperty("message").GetString(), Is.EqualTo("invalid IP address in add-host: \"nowhere\""));
    }

    [Test]
    public async Task DnsServersOfAContainerOnAUserNetworkAreItsEmbeddedResolversUpstreams()
    {
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-dns"}""")).Status, Is.EqualTo(201));
        // The upstream: a socket of this test on a loopback address of berthd's own namespace (where the embedded
        // server forwards from, as to the host's resolvers), port 53 as resolv.conf implies.
        var upstreamAddress = System.Net.IPAddress.Parse("127.0.0.77");
        using var upstream = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(upstreamAddress, 53));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a bound on a hang, not a timed assert
        var received = upstream.ReceiveAsync(cancel.Token).AsTask();
        string client = await RunAsync(null, """
            {"Image":"busybox","Cmd":["sh","-c","cat /etc/resolv.conf; nslookup probe.berth-upstream.test; sleep 1000"],
             "HostConfig":{"NetworkMode":"bnt-dns","Dns":["127.0.0.77"]}}
            """);
        string query;
        try
        {
            query = System.Text.Encoding.ASCII.GetString((await received).Buffer);
        }
        finally
        {
            var own = await StdCopyReader.DemultiplexAsync((await _api.GetAsync($"/v1.50/containers/{client}/logs?stdout=1")).Body);
            await RemoveAsync(client);
            Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-dns")).Status, Is.EqualTo(204));
            Assert.That(own.Stdout, Does.StartWith("nameserver 172."), "the embedded DNS server stays the nameserver");
            Assert.That(own.Stdout, Does.Not.Contain("127.0.0.77"));
        }
        Assert.That(query, Does.Contain("berth-upstream"), "the query went to the container's --dns server");
    }

    [Test]
    public async Task LinksOnTheDefaultBridgeGiveHostsEntriesAndEnvironment()
    {
        string db = await RunAsync("lnk-db", """
            {"Image":"busybox","Cmd":["nc","-ll","-p","3306","-e","echo","from db"],"Env":["MYSQL_PASSWORD=secret"],"ExposedPorts":{"3306/tcp":{},"53/udp":{}}}
            """);
        string address = (await _api.GetAsync($"/v1.50/containers/{db}/json")).Json.GetProperty("NetworkSettings").GetProperty("IPAddress").GetString()!;
        string web = await _api.CreateAsync("lnk-web", """
            {"Image":"busybox","Cmd":["sh","-c","env | grep ^MY_DB | sort; grep my-db /etc/hosts; nc my-db 3306 </dev/null"],
             "HostConfig":{"Links":["lnk-db:my-db"]}}
            """);
        var inspect = (await _api.GetAsync($"/v1.50/containers/{web}/json")).Json;
        Assert.That(inspect.GetProperty("HostConfig").GetProperty("Links").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "/lnk-db:/lnk-web/my-db" }));
        Assert.That((await _api.PostAsync($"/v1.50/containers/{web}/start")).Status, Is.EqualTo(204));
        long exit = (await _api.PostAsync($"/v1.50/containers/{web}/wait")).Json.GetProperty("StatusCode").GetInt64();
        var output = await StdCopyReader.DemultiplexAsync((await _api.GetAsync($"/v1.50/containers/{web}/logs?stdout=1&stderr=1")).Body);
        await RemoveAsync(web);
        string expected = string.Join('\n',
            "MY_DB_ENV_MYSQL_PASSWORD=secret",
            "MY_DB_NAME=/lnk-web/my-db",
            $"MY_DB_PORT=udp://{address}:53",
            $"MY_DB_PORT_3306_TCP=tcp://{address}:3306",
            $"MY_DB_PORT_3306_TCP_ADDR={address}",
            "MY_DB_PORT_3306_TCP_PORT=3306",
            "MY_DB_PORT_3306_TCP_PROTO=tcp",
            $"MY_DB_PORT_53_UDP=udp://{address}:53",
            $"MY_DB_PORT_53_UDP_ADDR={address}",
            "MY_DB_PORT_53_UDP_PORT=53",
            "MY_DB_PORT_53_UDP_PROTO=udp",
            $"{address}\tmy-db {db[..12]} lnk-db",
            "from db", "");
        Assert.That((exit, output.Stdout + output.Stderr), Is.EqualTo((0L, expected)));

        var missing = await _api.PostAsync("/v1.50/containers/create", """{"Image":"busybox","HostConfig":{"Links":["lnk-nowhere:x"]}}""");
        Assert.That(missing.Status, Is.EqualTo(400), missing.ToString());
        Assert.That(missing.ToString(), Does.Contain("could not get container for lnk-nowhere"));
        string stopped = await _api.CreateAsync("lnk-stopped", """{"Image":"busybox","Cmd":["true"]}""");
        string orphan = await _api.CreateAsync(null, """{"Image":"busybox","Cmd":["true"],"HostConfig":{"Links":["lnk-stopped:s"]}}""");
        var start = await _api.PostAsync($"/v1.50/containers/{orphan}/start");
        Assert.That(start.ToString(), Does.Contain("Cannot link to a non running container: /lnk-stopped AS"));
        await RemoveAsync(orphan);
        await RemoveAsync(stopped);
        await RemoveAsync(db);
    }

    [Test]
    public async Task LinksOnAUserNetworkAreDnsAliasesOfTheLinkingContainer()
    {
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-links"}""")).Status, Is.EqualTo(201));
        string db = await RunAsync("ulnk-db", """{"Image":"busybox","Cmd":["nc","-ll","-p","3306","-e","echo","from db"],"HostConfig":{"NetworkMode":"bnt-links"}}""");
        string web = await RunAsync("ulnk-web", """
            {"Image":"busybox","Cmd":["sh","-c","nc mysql 3306 </dev/null; sleep 1000"],"HostConfig":{"NetworkMode":"bnt-links"},
             "NetworkingConfig":{"EndpointsConfig":{"bnt-links":{"Links":["ulnk-db:mysql"]}}}}
            """);
        var endpoint = (await _api.GetAsync($"/v1.50/containers/{web}/json")).Json.GetProperty("NetworkSettings").GetProperty("Networks").GetProperty("bnt-links");
        Assert.That(endpoint.GetProperty("Links").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "ulnk-db:mysql" }));
        string logs = "";
        for (int i = 0; i < 200 && !logs.Contains("from db", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
            logs = (await StdCopyReader.DemultiplexAsync((await _api.GetAsync($"/v1.50/containers/{web}/logs?stdout=1")).Body)).Stdout;
        }
        Assert.That(logs, Is.EqualTo("from db\n"), "mysql resolves to the linked container for the container that links");
        var (exit, other) = await RunToExitAsync("""{"Image":"busybox","Cmd":["nslookup","mysql"],"HostConfig":{"NetworkMode":"bnt-links"}}""");
        Assert.That(exit, Is.Not.Zero, "a link alias is no name for the other containers of the network: " + other);
        await RemoveAsync(web);
        await RemoveAsync(db);
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-links")).Status, Is.EqualTo(204));
    }

    [Test]
    public async Task NetworkEventsAreReportedAsDockerdReportsThem()
    {
        var since = DateTimeOffset.UtcNow.AddMilliseconds(-5);
        var created = await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-events"}""");
        Assert.That(created.Status, Is.EqualTo(201), created.ToString());
        string network = created.Json.GetProperty("Id").GetString()!;
        var (exit, _) = await RunToExitAsync("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"bnt-events"}}""");
        Assert.That(exit, Is.Zero);
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-events")).Status, Is.EqualTo(204));
        string until = ((DateTimeOffset.UtcNow.AddMilliseconds(5).ToUnixTimeMilliseconds()) / 1000.0).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(10); // until is in the past: the stream ends
        string filters = Uri.EscapeDataString($$"""{"type":["network"],"network":["{{network}}"]}""");
        var response = await _api.GetAsync($"/v1.50/events?since={(since.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}&until={until}&filters={filters}");
        Assert.That(response.Status, Is.EqualTo(200), response.ToString());
        var events = response.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(events.Select(e => e.GetProperty("Action").GetString()), Is.EqualTo(new[] { "create", "connect", "disconnect", "destroy" }), response.Text);
        Assert.Multiple(() =>
        {
            foreach (var e in events)
            {
                Assert.That(e.GetProperty("Type").GetString(), Is.EqualTo("network"));
                Assert.That(e.GetProperty("Actor").GetProperty("ID").GetString(), Is.EqualTo(network));
                var attributes = e.GetProperty("Actor").GetProperty("Attributes");
                Assert.That(attributes.GetProperty("name").GetString(), Is.EqualTo("bnt-events"));
                Assert.That(attributes.GetProperty("type").GetString(), Is.EqualTo("bridge"));
                Assert.That(attributes.TryGetProperty("container", out var container), Is.EqualTo(e.GetProperty("Action").GetString() is "connect" or "disconnect"));
                if (container.ValueKind == System.Text.Json.JsonValueKind.String)
                    Assert.That(container.GetString(), Has.Length.EqualTo(64));
            }
        });
    }

    [Test]
    public async Task ACreatedContainerIsDisconnectedAndConnectedAsComposeDoesAndJoinsAtStart()
    {
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-compose"}""")).Status, Is.EqualTo(201));
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-extra"}""")).Status, Is.EqualTo(201));
        string db = await RunAsync("cmp-db", """{"Image":"busybox","Cmd":["nc","-ll","-p","3306","-e","echo","from db"],"HostConfig":{"NetworkMode":"bnt-compose"}}""");
        string web = await _api.CreateAsync("cmp-web", """
            {"Image":"busybox","Cmd":["sh","-c","nc mysql 3306 </dev/null; nslookup webalias >/dev/null && echo webalias resolves; grep -c eth /proc/net/dev"],
             "HostConfig":{"NetworkMode":"bnt-compose"},"NetworkingConfig":{"EndpointsConfig":{"bnt-compose":{}}}}
            """);
        var disconnect = await _api.PostAsync("/v1.41/networks/bnt-compose/disconnect", $$"""{"Container":"{{web}}"}""");
        Assert.That(disconnect.Status, Is.EqualTo(200), disconnect.ToString());
        var again = await _api.PostAsync("/v1.41/networks/bnt-compose/disconnect", $$"""{"Container":"{{web}}"}""");
        Assert.That(again.Status, Is.EqualTo(403), again.ToString());
        var connect = await _api.PostAsync("/v1.41/networks/bnt-compose/connect",
            $$$"""{"Container":"{{{web}}}","EndpointConfig":{"Aliases":["{{{web[..12]}}}","webalias"],"Links":["cmp-db:mysql"]}}""");
        Assert.That(connect.Status, Is.EqualTo(200), connect.ToString());
        Assert.That((await _api.PostAsync("/v1.41/networks/bnt-extra/connect", $$"""{"Container":"{{web}}"}""")).Status, Is.EqualTo(200));
        var twice = await _api.PostAsync("/v1.41/networks/bnt-extra/connect", $$"""{"Container":"{{web}}"}""");
        Assert.That(twice.Status, Is.EqualTo(403), twice.ToString());
        Assert.That((await _api.PostAsync("/v1.41/networks/host/connect", $$"""{"Container":"{{web}}"}""")).Status, Is.EqualTo(400));
        var networks = (await _api.GetAsync($"/v1.50/containers/{web}/json")).Json.GetProperty("NetworkSettings").GetProperty("Networks");
        Assert.That(networks.EnumerateObject().Select(n => n.Name), Is.EquivalentTo(new[] { "bnt-compose", "bnt-extra" }));
        Assert.That(networks.GetProperty("bnt-compose").GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { web[..12], "webalias" }));

        Assert.That((await _api.PostAsync($"/v1.50/containers/{web}/start")).Status, Is.EqualTo(204));
        long exit = (await _api.PostAsync($"/v1.50/containers/{web}/wait")).Json.GetProperty("StatusCode").GetInt64();
        var output = await StdCopyReader.DemultiplexAsync((await _api.GetAsync($"/v1.50/containers/{web}/logs?stdout=1&stderr=1")).Body);
        await RemoveAsync(web);
        await RemoveAsync(db);
        Assert.That((exit, output.Stdout + output.Stderr), Is.EqualTo((0L, "from db\nwebalias resolves\n2\n")), "eth0 on bnt-compose, eth1 on bnt-extra");
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-extra")).Status, Is.EqualTo(204));
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-compose")).Status, Is.EqualTo(204));
    }

    [Test]
    public async Task AHostPortRangeGivesTheFirstFreePortOfIt()
    {
        string first = await RunAsync(null, """{"Image":"busybox","Cmd":["sleep","1000"],"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"18090"}]}}}""");
        string second = await RunAsync(null, """
            {"Image":"busybox","Cmd":["nc","-ll","-p","80","-e","echo","ranged"],"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"18090-18092"}]}}}
            """);
        var ports = (await _api.GetAsync($"/v1.50/containers/{second}/json")).Json.GetProperty("NetworkSettings").GetProperty("Ports");
        Assert.That(ports.GetProperty("80/tcp")[0].GetProperty("HostPort").GetString(), Is.EqualTo("18091"));
        Assert.That(ConnectFromNamespace("127.0.0.1", 18091), Does.Contain("ranged"));
        var reversed = await _api.PostAsync("/v1.50/containers/create", """{"Image":"busybox","HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"18092-18090"}]}}}""");
        Assert.That(reversed.Status, Is.EqualTo(400), reversed.ToString());
        await RemoveAsync(second);
        await RemoveAsync(first);
    }

    [Test]
    public async Task AMacAddressIsTheInterfacesAndBadOnesAreRefused()
    {
        var (exit, output) = await RunToExitAsync("""
            {"Image":"busybox","Cmd":["ip","link","show","eth0"],"HostConfig":{"NetworkMode":"bridge"},
             "NetworkingConfig":{"EndpointsConfig":{"bridge":{"MacAddress":"92:D0:C6:0A:29:33"}}}}
            """);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("link/ether 92:d0:c6:0a:29:33"));

        // Config.MacAddress: where docker-py and API clients before 1.44 put it.
        string legacy = await RunAsync(null, """{"Image":"busybox","Cmd":["sleep","1000"],"MacAddress":"02:42:ac:11:00:99"}""");
        var endpoint = (await _api.GetAsync($"/v1.50/containers/{legacy}/json")).Json.GetProperty("NetworkSettings").GetProperty("Networks").GetProperty("bridge");
        Assert.That(endpoint.GetProperty("MacAddress").GetString(), Is.EqualTo("02:42:ac:11:00:99"));
        await RemoveAsync(legacy);

        var bad = await _api.PostAsync("/v1.50/containers/create", """
            {"Image":"busybox","HostConfig":{"NetworkMode":"bridge"},"NetworkingConfig":{"EndpointsConfig":{"bridge":{"MacAddress":"zz:00"}}}}
            """);
        Assert.That(bad.Status, Is.EqualTo(400), bad.ToString());
        Assert.That(bad.Text, Does.Contain("invalid MAC address: zz:00"));
        var conflict = await _api.PostAsync("/v1.50/containers/create", """{"Image":"busybox","MacAddress":"02:42:ac:11:00:99","HostConfig":{"NetworkMode":"host"}}""");
        Assert.That(conflict.Status, Is.EqualTo(400), conflict.ToString());
        Assert.That(conflict.Text, Does.Contain("conflicting options: mac-address and the network mode"));
    }

    [Test]
    public async Task NoneHasOnlyLoopbackAndHostHasTheDaemonsInterfaces()
    {
        var (exit, none) = await RunToExitAsync("""{"Image":"busybox","Cmd":["cat","/proc/net/dev"],"HostConfig":{"NetworkMode":"none"}}""");
        Assert.That(exit, Is.Zero, none);
        var interfaces = none.Split('\n').Skip(2).Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).ToList();
        Assert.That(interfaces, Is.EqualTo(new[] { "lo" }));
        var (hostExit, host) = await RunToExitAsync("""{"Image":"busybox","Cmd":["cat","/proc/net/dev"],"HostConfig":{"NetworkMode":"host"}}""");
        Assert.That(hostExit, Is.Zero, host);
        Assert.That(host, Does.Contain("berth0"), "--network host is the namespace of Berth's networking");
    }

    [Test]
    public async Task NothingStaysAfterTheContainersAreRemovedNorAfterAKillOfTheDaemon()
    {
        Assert.That((await _api.PostAsync("/v1.50/networks/create", """{"Name":"bnt-crash"}""")).Status, Is.EqualTo(201));
        string first = await RunAsync(null, """{"Image":"busybox","Cmd":["sleep","1000"],"HostConfig":{"NetworkMode":"bnt-crash"}}""");
        string second = await RunAsync(null, """{"Image":"busybox","Cmd":["sleep","1000"],"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"18081"}]}}}""");
        Assert.That(Veths(), Has.Count.EqualTo(2));
        Assert.That(Sandboxes(), Has.Count.EqualTo(2));
        await RemoveAsync(first);
        Assert.That(Sandboxes(), Has.Count.EqualTo(1));

        await _api.DisposeAsync();
        await _daemon.KillHardAsync();
        _daemon.Process.Dispose();
        await StartBerthdAsync();
        Assert.That(Sandboxes(), Is.Empty, "the recovery unmounted the namespace of the container that died with berthd");
        Assert.That(Leaks.MountsUnder(Path.Combine(_dataRoot, "netns")), Is.Empty);
        Assert.That(Run("ip", "netns", "exec", _netns!.Name, "nft", "list", "table", "ip", "berth"), Does.Not.Contain("18081"));
        var network = (await _api.GetAsync("/v1.50/networks/bridge")).Json;
        Assert.That(network.GetProperty("Containers").EnumerateObject().Count(), Is.Zero, "no lease survives");
        await WaitForAsync(() => Veths().Count == 0, "the veths went with their namespaces");

        string again = await RunAsync(null, """{"Image":"busybox","Cmd":["nc","-ll","-p","80","-e","echo","again"],"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"18081"}]}}}""");
        Assert.That(ConnectFromNamespace("127.0.0.1", 18081), Does.Contain("again"), "the port is free again after the recovery");
        await RemoveAsync(again);
        await RemoveAsync(second);
        Assert.That((await _api.DeleteAsync("/v1.50/networks/bnt-crash")).Status, Is.EqualTo(204));
        await WaitForAsync(() => Veths().Count == 0, "no veth stays");
        Assert.That(Sandboxes(), Is.Empty);
    }

    private async Task<string> RunAsync(string? name, string json)
    {
        string id = await _api.CreateAsync(name, json);
        var start = await _api.PostAsync($"/v1.50/containers/{id}/start");
        Assert.That(start.Status, Is.EqualTo(204), start.ToString());
        return id;
    }

    private async Task<(long Exit, string Output)> RunToExitAsync(string json)
    {
        string id = await RunAsync(null, json);
        var wait = await _api.PostAsync($"/v1.50/containers/{id}/wait");
        long exit = wait.Json.GetProperty("StatusCode").GetInt64();
        var logs = await _api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1");
        var output = await StdCopyReader.DemultiplexAsync(logs.Body);
        await RemoveAsync(id);
        return (exit, output.Stdout + output.Stderr);
    }

    private async Task RemoveAsync(string id) =>
        Assert.That((await _api.DeleteAsync($"/v1.50/containers/{id}?force=1")).Status, Is.EqualTo(204));

    private List<string> Veths() =>
        [.. _netns!.In("-o", "link", "show", "type", "veth").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private List<string> Sandboxes()
    {
        string directory = Path.Combine(_dataRoot, "netns");
        return Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory)] : [];
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        // The kernel frees a namespace, and the veth in it, after an RCU grace period: poll, never time a test.
        for (int i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
        Assert.That(condition(), Is.True, what);
    }

    /// <summary>Connects to address:port from the daemon's namespace and returns what the server sent.</summary>
    private string ConnectFromNamespace(string address, int port) =>
        Run("ip", "netns", "exec", _netns!.Name, "python3", "-c",
            $"import socket; s = socket.create_connection(('{address}', {port}), timeout=5); print(s.recv(100).decode())");

    private static string Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {error}");
        return output;
    }
}
