using System.Net.Sockets;
using System.Text;
using Berth.Daemon.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>sd_listen_fds and sd_notify as berthd reads and writes them.</summary>
public sealed class SystemdTests
{
    [Test]
    public void ListenFdsForThisProcessAreNamedFromThree()
    {
        var fds = SocketActivation.Parse("42", "3", "berthd.socket::api", 42);
        Assert.That(fds, Is.EqualTo(new[] { (3, "berthd.socket"), (4, "unknown"), (5, "api") }));
    }

    [TestCase("41", "1")]
    [TestCase(null, "1")]
    [TestCase("42", "0")]
    [TestCase("42", "x")]
    public void ListenFdsMeantForAnotherProcessOrNoneAreIgnored(string? pid, string count) =>
        Assert.That(SocketActivation.Parse(pid, count, null, 42), Is.Empty);

    [Test]
    public void NotifyWritesOneDatagramToTheNotifySocket()
    {
        string path = Path.Combine(Path.GetTempPath(), "berth-notify-" + Guid.NewGuid().ToString("N")[..8]);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            using var notifier = new SystemdNotifier(path, NullLogger.Instance);
            Assert.That(notifier.Enabled, Is.True);
            notifier.Notify("READY=1\nSTATUS=2 containers running");
            var buffer = new byte[256];
            int n = listener.Receive(buffer);
            Assert.That(Encoding.UTF8.GetString(buffer, 0, n), Is.EqualTo("READY=1\nSTATUS=2 containers running"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void WithoutNotifySocketNotifyDoesNothing()
    {
        using var notifier = new SystemdNotifier(null, NullLogger.Instance);
        Assert.That(notifier.Enabled, Is.False);
        notifier.Notify("READY=1");
    }
}
