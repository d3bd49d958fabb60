using System.Net;
using System.Net.Sockets;
using Berth.Daemon;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

public sealed class ListenAddressTests
{
    [Test]
    public void UnixSocketsByUrlOrPath()
    {
        Assert.That(ListenAddress.Parse("unix:///run/berth/berth.sock"), Is.InstanceOf<UnixDomainSocketEndPoint>());
        Assert.That(ListenAddress.Parse("unix:///run/berth/berth.sock").ToString(), Is.EqualTo("/run/berth/berth.sock"));
        Assert.That(ListenAddress.Parse("/tmp/x.sock").ToString(), Is.EqualTo("/tmp/x.sock"));
    }

    [Test]
    public void TcpOnlyWhenAsked()
    {
        var endPoint = (IPEndPoint)ListenAddress.Parse("tcp://127.0.0.1:2375");
        Assert.That(endPoint.Port, Is.EqualTo(2375));
        Assert.That(endPoint.Address, Is.EqualTo(IPAddress.Loopback));
        Assert.Throws<FormatException>(() => ListenAddress.Parse("tcp://127.0.0.1"));
        Assert.Throws<FormatException>(() => ListenAddress.Parse("http://x:1"));
        Assert.Throws<FormatException>(() => ListenAddress.Parse("relative.sock"));
    }
}
