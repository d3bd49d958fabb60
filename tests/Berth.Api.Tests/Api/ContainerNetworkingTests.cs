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
