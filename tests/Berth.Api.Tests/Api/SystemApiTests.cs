using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>/_ping, /version, /info, versioned paths and the headers of every response, against the real berthd.</summary>
[NonParallelizable]
public sealed class SystemApiTests
{
    private BerthDaemon _daemon = null!;
    private ApiClient _api = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        _daemon = await BerthDaemon.StartAsync();
        _api = _daemon.Client();
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_api is not null)
            await _api.DisposeAsync();
        if (_daemon is not null)
            await _daemon.DisposeAsync();
    }

    [Test]
    public async Task GetPingAnswersOkWithTheHeadersTheCliReads()
    {
        var ping = await _api.GetAsync("/_ping");
        Assert.That(ping.Status, Is.EqualTo(200));
        Assert.That(ping.Text, Is.EqualTo("OK"));
        Assert.That(ping.Headers["Api-Version"], Is.EqualTo("1.50"));
        Assert.That(ping.Headers["Ostype"], Is.EqualTo("linux"));
        Assert.That(ping.Headers["Docker-Experimental"], Is.EqualTo("false"));
        Assert.That(ping.Headers["Builder-Version"], Is.EqualTo("1"));
        Assert.That(ping.Headers["Cache-Control"], Is.EqualTo("no-cache, no-store, must-revalidate"));
        Assert.That(ping.Headers["Pragma"], Is.EqualTo("no-cache"));
        Assert.That(ping.Headers["Server"], Does.StartWith("Berth/"));
    }

    [Test]
    public async Task HeadPingHasTheHeadersAndNoBody()
    {
        using var raw = RawConnection.Open(_daemon.SocketPath);
        await raw.SendAsync("HEAD /_ping HTTP/1.1\r\nHost: api.moby.localhost\r\n\r\n");
        string head = await raw.ReadUntilAsync("\r\n\r\n");
        Assert.That(head, Does.StartWith("HTTP/1.1 200 "));
        Assert.That(head, Does.Contain("Api-Version: 1.50\r\n"));
        string after = await raw.ReadForAsync(TimeSpan.FromMilliseconds(300));
        Assert.That(after[(after.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], Is.Empty, "no body after a HEAD response");
    }

    [TestCase("/version")]
    [TestCase("/v1.50/version")]
    [TestCase("/v1.41/version")]
    [TestCase("/v1.40/version")]
    public async Task VersionedAndUnversionedPathsWork(string path)
    {
        var version = await _api.GetAsync(path);
        Assert.That(version.Status, Is.EqualTo(200), version.ToString());
        Assert.That(version.Json.GetProperty("ApiVersion").GetString(), Is.EqualTo("1.50"));
        Assert.That(version.Json.GetProperty("MinAPIVersion").GetString(), Is.EqualTo("1.40"));
        Assert.That(version.Json.GetProperty("Os").GetString(), Is.EqualTo("linux"));
        Assert.That(version.Json.GetProperty("Platform").GetProperty("Name").GetString(), Is.EqualTo("Berth"));
        Assert.That(version.Json.GetProperty("Components")[0].GetProperty("Name").GetString(), Is.EqualTo("Engine"));
        Assert.That(version.Json.GetProperty("KernelVersion").GetString(), Is.Not.Empty);
        Assert.That(version.Headers["Api-Version"], Is.EqualTo("1.50"));
    }

    [TestCase("/v1.24/version", "too old")]
    [TestCase("/v1.51/version", "too new")]
    public async Task VersionsOutsideTheRangeAreRefused(string path, string why)
    {
        var response = await _api.GetAsync(path);
        Assert.That(response.Status, Is.EqualTo(400));
        Assert.That(response.Message, Does.Contain(why));
        Assert.That(response.Headers["Api-Version"], Is.EqualTo("1.50"), "errors carry the headers too");
    }

    [Test]
    public async Task InfoDescribesTheEngine()
    {
        var info = await _api.GetAsync("/v1.50/info");
        Assert.That(info.Status, Is.EqualTo(200));
        var json = info.Json;
        Assert.That(json.GetProperty("Driver").GetString(), Is.EqualTo("overlay2"));
        Assert.That(json.GetProperty("DockerRootDir").GetString(), Is.EqualTo(_daemon.DataRoot));
        Assert.That(json.GetProperty("CgroupDriver").GetString(), Is.EqualTo("cgroupfs"));
        Assert.That(json.GetProperty("CgroupVersion").GetString(), Is.AnyOf("1", "2"));
        Assert.That(json.GetProperty("OSType").GetString(), Is.EqualTo("linux"));
        Assert.That(json.GetProperty("NCPU").GetInt32(), Is.EqualTo(Environment.ProcessorCount));
        Assert.That(json.GetProperty("MemTotal").GetInt64(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("Swarm").GetProperty("LocalNodeState").GetString(), Is.EqualTo("inactive"));
        Assert.That(json.GetProperty("ID").GetString(), Is.Not.Empty);
        foreach (string counter in new[] { "Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images" })
            Assert.That(json.GetProperty(counter).GetInt32(), Is.GreaterThanOrEqualTo(0), counter);
    }

    [Test]
    public async Task UnknownPathsAndWrongMethodsAre404LikeDockerd()
    {
        var missing = await _api.GetAsync("/v1.50/nothing/here");
        Assert.That(missing.Status, Is.EqualTo(404));
        Assert.That(missing.Message, Is.EqualTo("page not found"));
        var wrongMethod = await _api.DeleteAsync("/v1.50/version");
        Assert.That(wrongMethod.Status, Is.EqualTo(404));
        Assert.That(wrongMethod.Message, Is.EqualTo("page not found"));
    }

    [TestCase("/v1.50/swarm", "Swarm mode is not supported by Berth")]
    [TestCase("/v1.50/services/web/logs", "Swarm mode (services) is not supported by Berth")]
    [TestCase("/plugins", "Engine plugins is not supported by Berth")]
    public async Task EndpointsBerthDoesNotServeAre501NamingTheFeature(string path, string message)
    {
        var answer = await _api.GetAsync(path);
        Assert.That(answer.Status, Is.EqualTo(501));
        Assert.That(answer.Message, Is.EqualTo(message));
    }

    [Test]
    public async Task InfoReportsTheSeccompProfileAndVersionTheCommit()
    {
        var info = (await _api.GetAsync("/v1.50/info")).Json;
        Assert.That(info.GetProperty("SecurityOptions").EnumerateArray().Select(o => o.GetString()), Does.Contain("name=seccomp,profile=builtin"));
        Assert.That(info.GetProperty("Warnings").EnumerateArray().Select(o => o.GetString()), Has.None.Contains("seccomp"));
        var version = (await _api.GetAsync("/v1.50/version")).Json;
        Assert.That(version.GetProperty("GitCommit").GetString(), Does.Match("^[0-9a-f]{7}$"));
    }
}
