using System.Net;
using Berth.Network.Files;
using Berth.Network.Ipam;

namespace Berth.Network.Tests;

[TestFixture]
public sealed class NameFilesTests
{
    private const string HostResolvConf = "# generated\nnameserver 127.0.0.53\nnameserver 10.1.2.3\nsearch corp.example\noptions edns0\n";

    [Test]
    public void ResolvConfDropsLoopbackNameserversAndKeepsSearchAndOptions() =>
        Assert.That(ResolvConf.ForContainer(HostResolvConf, [], [], [], null),
            Is.EqualTo("nameserver 10.1.2.3\nsearch corp.example\noptions edns0\n"));

    [Test]
    public void ResolvConfFallsBackToGoogleWhenOnlyLoopbackServersRemain() =>
        Assert.That(ResolvConf.ForContainer("nameserver 127.0.0.53\n", [], [], [], null),
            Does.StartWith("nameserver 8.8.8.8\nnameserver 8.8.4.4\n"));

    [Test]
    public void DnsFlagsReplaceTheHostsAndTheEmbeddedResolverAddsNdots()
    {
        Assert.That(ResolvConf.ForContainer(HostResolvConf, ["9.9.9.9"], ["a.example"], ["timeout:1"], null),
            Is.EqualTo("nameserver 9.9.9.9\nsearch a.example\noptions timeout:1\n"));
        Assert.That(ResolvConf.ForContainer(HostResolvConf, [], [], [], IPAddress.Parse("172.18.0.1")),
            Is.EqualTo("nameserver 172.18.0.1\nsearch corp.example\noptions edns0 ndots:0\n"));
    }

    [Test]
    public void HostsFileHasLoopbackLinksExtraHostsAndTheContainer()
    {
        string hosts = HostsFile.Build("abc123def456", ["172.17.0.2"],
            [new HostsFile.Link("db", "172.17.0.3", "0a1b2c3d4e5f", "mysql")], ["gateway.example:10.0.0.1", "v6:[::1]"]);
        Assert.That(hosts, Does.StartWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
        Assert.That(hosts, Does.Contain("172.17.0.3\tdb 0a1b2c3d4e5f mysql\n"));
        Assert.That(hosts, Does.Contain("10.0.0.1\tgateway.example\n"));
        Assert.That(hosts, Does.Contain("::1\tv6\n"));
        Assert.That(hosts, Does.EndWith("172.17.0.2\tabc123def456\n"));
        Assert.That(() => HostsFile.Build("h", [], [], ["nocolon"]), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void PoolsSkipTakenSubnetsAndParseDaemonFlags()
    {
        var pools = new AddressPools();
        Assert.That(pools.Choose([Ipv4Cidr.Parse("172.17.0.0/16"), Ipv4Cidr.Parse("172.18.3.0/24")])?.ToString(), Is.EqualTo("172.19.0.0/16"));
        var custom = new AddressPools([AddressPools.ParsePool("base=10.10.0.0/16,size=24")]);
        Assert.That(custom.Choose([Ipv4Cidr.Parse("10.10.0.0/24")])?.ToString(), Is.EqualTo("10.10.1.0/24"));
        Assert.That(() => AddressPools.ParsePool("base=10.0.0.0/16,size=8"), Throws.TypeOf<FormatException>());
    }
}
