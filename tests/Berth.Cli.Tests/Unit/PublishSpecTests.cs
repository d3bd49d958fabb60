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

    [TestCase("80/sctp")]
    [TestCase("0")]
    [TestCase("8080:70000")]
    [TestCase("999.1.1.1:80:80")]
    [TestCase("a:b")]
    public void AMalformedSpecIsRefused(string spec) =>
        Assert.Throws<FormatException>(() => PublishSpec.Add(spec, [], []));
}
