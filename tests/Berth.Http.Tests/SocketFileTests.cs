using System.Diagnostics;
using System.Net.Sockets;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class SocketFileTests : ServerTestBase
{
    [Test]
    public async Task StaleSocketFileIsReplaced()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        // .NET unlinks the path a socket was bound to when it is disposed; a hard link survives, like
        // the file of a daemon that was killed.
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(SocketPath + ".old"));
            dead.Listen();
            Berth.Interop.Sys.Link(SocketPath + ".old", SocketPath);
        }
        Assert.That(Berth.Interop.Sys.IsSocketFile(SocketPath), Is.True);
        Router.MapGet("/_ping", c => c.Response.SendAsync("OK"u8.ToArray(), "text/plain"));
        StartServer();
        await using var response = await NewClient().GetAsync("/_ping");
        Assert.That(response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void LiveSocketAndOtherFilesAreNotRemoved()
    {
        StartServer();
        var second = new HttpServer(new HttpServerOptions { EndPoint = new UnixDomainSocketEndPoint(SocketPath) }, Router.HandleAsync);
        Assert.That(() => second.Start(), Throws.InstanceOf<IOException>().With.Message.Contains("another process is listening"));

        string regular = SocketPath + ".txt";
        File.WriteAllText(regular, "keep me");
        var third = new HttpServer(new HttpServerOptions { EndPoint = new UnixDomainSocketEndPoint(regular) }, Router.HandleAsync);
        Assert.That(() => third.Start(), Throws.InstanceOf<IOException>().With.Message.Contains("not a socket"));
        Assert.That(File.ReadAllText(regular), Is.EqualTo("keep me"));
    }

    [Test]
    public void SocketFileGetsItsModeAndGroup()
    {
        StartServer(o => new HttpServerOptions { EndPoint = o.EndPoint, SocketGroupId = 4242 });
        var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%F %a %g", SocketPath]) { RedirectStandardOutput = true })!;
        string result = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        Assert.That(result, Is.EqualTo("socket 660 4242"));
    }
}
