using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests;

[TestFixture]
[NonParallelizable]
public sealed class DnsResponderTests
{
    [Test]
    public async Task AnswersNamesOfItsNetworkAndRelaysTheRestToTheUpstream()
    {
        using var fixture = new NetworkFixture();
        var network = fixture.Manager.Create(new NetworkCreateOptions { Name = "named", Subnet = "10.60.0.0/24" });
        var web = fixture.Container();
        var asker = fixture.Container();
        fixture.Manager.Connect("named", "0123456789abcdef", "web", null, ["www"], []);
        fixture.Manager.Connect("named", "fedcba9876543210", "asker", null, [], ["web:db"]);
        fixture.Manager.Wire("named", "0123456789abcdef", web.Path, [], defaultRoute: true);
        fixture.Manager.Wire("named", "fedcba9876543210", asker.Path, [], defaultRoute: true);

        // The upstream stands for the host's resolver, on loopback of the machine's namespace (where berthd forwards from).
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var upstreamAnswer = Task.Run(async () =>
        {
            var buffer = new byte[512];
            var received = await upstream.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
            DnsMessage.TryReadQuestion(buffer.AsSpan(0, received.ReceivedBytes), out var question);
            byte[] reply = DnsMessage.Reply(buffer.AsSpan(0, received.ReceivedBytes), question, DnsMessage.NoError, [IPAddress.Parse("192.0.2.7")]);
            await upstream.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint);
            return question.Name;
        });

        await using var responder = new DnsResponder(fixture.Manager.Resolve, [(IPEndPoint)upstream.LocalEndPoint!]);
        var gateway = IPAddress.Parse(network.Gateway!);
        responder.Listen(network.Id, gateway, fixture.Host);

        Assert.Multiple(() =>
        {
            Assert.That(Ask(asker, gateway, "web", DnsMessage.TypeA), Is.EqualTo(new[] { IPAddress.Parse("10.60.0.2") }));
            Assert.That(Ask(asker, gateway, "WWW", DnsMessage.TypeA), Is.EqualTo(new[] { IPAddress.Parse("10.60.0.2") }));
            Assert.That(Ask(asker, gateway, "0123456789ab", DnsMessage.TypeA), Is.EqualTo(new[] { IPAddress.Parse("10.60.0.2") }));
            Assert.That(Ask(asker, gateway, "db", DnsMessage.TypeA), Is.EqualTo(new[] { IPAddress.Parse("10.60.0.2") }), "a link alias, for the container that links (moby's sandbox aliases)");
            Assert.That(Ask(web, gateway, "web", DnsMessage.TypeAaaa), Is.Empty);
            Assert.That(Ask(asker, gateway, "elsewhere.example", DnsMessage.TypeA), Is.EqualTo(new[] { IPAddress.Parse("192.0.2.7") }));
        });
        Assert.That(await upstreamAnswer, Is.EqualTo("elsewhere.example"));
        await responder.StopAsync(network.Id);
        Assert.That(fixture.Host.Run(() => IPGlobalPropertiesHasUdp53()), Is.False, "the listener is gone");
    }

    private static bool IPGlobalPropertiesHasUdp53() =>
        File.ReadAllText("/proc/net/udp").Contains(":0035 ", StringComparison.Ordinal);

    private static IPAddress[] Ask(TestNamespace ns, IPAddress server, string name, ushort type)
    {
        using var thread = new NamespaceThread(ns.Path);
        using var socket = thread.Invoke(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.ReceiveTimeout = 5000;
        socket.Connect(new IPEndPoint(server, 53));
        socket.Send(DnsMessage.Query(0x4242, name, type));
        var buffer = new byte[512];
        int length = socket.Receive(buffer);
        Assert.That(buffer[0] << 8 | buffer[1], Is.EqualTo(0x4242));
        Assert.That(buffer[3] & 0xf, Is.EqualTo(DnsMessage.NoError));
        int answers = buffer[6] << 8 | buffer[7];
        DnsMessage.TryReadQuestion(buffer.AsSpan(0, length), out var question);
        return [.. Enumerable.Range(0, answers).Select(i => new IPAddress(buffer.AsSpan(question.End + i * 16 + 12, 4)))];
    }
}
