using Berth.Api;
using Berth.Cli.Commands;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>`-p` specs as the docker CLI sends them (ExposedPorts plus PortBindings).</summary>
public sealed class PublishSpecTests
{
    [TestCase("80", "80/tcp", "", "")]
    [TestCase("8080:80", "80/tcp", "", "8080")]
    [TestCase("127.0.0.1:8080:80/udp", "80/udp", "127.0.0.1", "8080")]
    [TestCase("127.0.0.1::80", "80/tcp", "127.0.0.1", "")]
    [TestCase("[::1]:8080:80", "80/tcp", "::1", "8080")]
    public void ASpecBecomesAnExposedPortAndABinding(string spec, string key, string hostIp, string hostPort)
    {
        var exposed = new Dictionary<string, EmptyObject?>();
        var bindings = new Dictionary<string, List<PortBinding>?>();
        PublishSpec.Add(spec, exposed, bindings);
        Assert.That(exposed.Keys, Is.EqualTo(new[] { key }));
        var binding = bindings[key]!.Single();
        Assert.That((binding.HostIp, binding.HostPort), Is.EqualTo((hostIp, hostPort)));
    }

    [Test]
    public void RangesExpandToOneKeyPerContainerPort()
    {
        var exposed = new Dictionary<string, EmptyObject?>();
        var bindings = new Dictionary<string, List<PortBinding>?>();
        PublishSpec.Add("8000-8002:80-82", exposed, bindings);
        PublishSpec.Add("127.0.0.1:9000-9001:90-91/udp", exposed, bindings);
        PublishSpec.Add("7000-7010:70", exposed, bindings);
        PublishSpec.Expose("5000-5002", exposed);
        Assert.That(exposed.Keys, Is.EquivalentTo(new[] { "80/tcp", "81/tcp", "82/tcp", "90/udp", "91/udp", "70/tcp", "5000/tcp", "5001/tcp", "5002/tcp" }));
        Assert.That(bindings.ToDictionary(b => b.Key, b => $"{b.Value!.Single().HostIp}|{b.Value!.Single().HostPort}"), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["80/tcp"] = "|8000", ["81/tcp"] = "|8001", ["82/tcp"] = "|8002",
            ["90/udp"] = "127.0.0.1|9000", ["91/udp"] = "127.0.0.1|9001",
            ["70/tcp"] = "|7000-7010", // one container port: a host range berthd picks a free port from
        }));
    }

    [TestCase("8000-8001:80-82", "invalid ranges specified for container and host Ports: 80-82 and 8000-8001")]
    [TestCase("90-80", "invalid containerPort: 90-80")]
    public void MismatchedRangesAreRefusedWithDockersError(string spec, string message) =>
        Assert.That(() => PublishSpec.Add(spec, [], []), Throws.TypeOf<FormatException>().With.Message.EqualTo(message));

    [TestCase("80/sctp")]
    [TestCase("0")]
    [TestCase("8080:70000")]
    [TestCase("999.1.1.1:80:80")]
    [TestCase("a:b")]
    public void AMalformedSpecIsRefused(string spec) =>
        Assert.Throws<FormatException>(() => PublishSpec.Add(spec, [], []));
}
