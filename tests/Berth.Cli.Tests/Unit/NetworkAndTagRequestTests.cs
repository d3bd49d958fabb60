using System.Text.Json;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Commands;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>The requests `berth tag` and `berth network create|connect` build, as docker 28's client builds them.</summary>
public sealed class NetworkAndTagRequestTests
{
    [TestCase("busybox", "mine", "/images/busybox/tag?repo=docker.io%2Flibrary%2Fmine&tag=latest")]
    [TestCase("busybox:1.36", "registry:5000/team/app:v1", "/images/busybox:1.36/tag?repo=registry%3A5000%2Fteam%2Fapp&tag=v1")]
    public void TagNamesTheTargetFullyWithItsTag(string source, string target, string path) =>
        Assert.That(TagCommand.TagPath(source, target), Is.EqualTo(path));

    [Test]
    public void TagRefusesADigestAndABadName()
    {
        var digest = Assert.Throws<CliException>(() => TagCommand.TagPath("busybox", "busybox@sha256:" + new string('a', 64)))!;
        Assert.That((digest.ExitCode, digest.Message), Is.EqualTo((1, "refusing to create a tag with a digest reference")));
        var bad = Assert.Throws<CliException>(() => TagCommand.TagPath("busybox", "Bad Name"))!;
        Assert.That(bad.Message, Does.StartWith("error parsing reference: \"Bad Name\" is not a valid repository/tag: "));
    }

    [Test]
    public void NetworkCreatePairsGatewaysWithSubnetsAndDefaultsToBridge()
    {
        var request = NetworkCreateCommand.BuildRequest("net1", null, ["10.9.0.0/24", "10.9.1.0/24"], ["10.9.0.254"], true, ["a=b", "c"], ["com.docker.network.bridge.name=br9"]);
        string json = JsonSerializer.Serialize(request, ApiJsonContext.Default.NetworkCreateRequest);
        Assert.That(request.Driver, Is.EqualTo("bridge"));
        Assert.That(request.Internal, Is.True);
        Assert.That(request.IPAM!.Config!.Select(c => (c.Subnet, c.Gateway)), Is.EqualTo(new[] { ("10.9.0.0/24", "10.9.0.254"), ("10.9.1.0/24", (string?)null) }), json);
        Assert.That(request.Labels, Is.EqualTo(new Dictionary<string, string> { ["a"] = "b", ["c"] = "" }));
        Assert.That(request.Options, Is.EqualTo(new Dictionary<string, string> { ["com.docker.network.bridge.name"] = "br9" }));
    }

    [Test]
    public void NetworkCreateRefusesAGatewayWithoutASubnet()
    {
        var error = Assert.Throws<CliException>(() => NetworkCreateCommand.BuildRequest("n", "bridge", [], ["10.0.0.1"], false, null, null))!;
        Assert.That(error.Message, Is.EqualTo("every ip-range or gateway must have a corresponding subnet"));
    }

    [Test]
    public void NetworkConnectCarriesAliasesAndTheAddress()
    {
        var request = NetworkConnectCommand.BuildRequest("web", ["db", "cache"], "10.9.0.7");
        Assert.That(request.Container, Is.EqualTo("web"));
        Assert.That(request.EndpointConfig!.Aliases, Is.EqualTo(new[] { "db", "cache" }));
        Assert.That(request.EndpointConfig.IPAMConfig!.IPv4Address, Is.EqualTo("10.9.0.7"));
        var bare = NetworkConnectCommand.BuildRequest("web", [], null);
        Assert.That((bare.EndpointConfig!.Aliases, bare.EndpointConfig.IPAMConfig), Is.EqualTo(((List<string>?)null, (EndpointIpamConfig?)null)));
    }
}
