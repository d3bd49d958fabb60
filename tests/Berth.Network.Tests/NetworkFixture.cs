using System.Net;
using System.Net.Sockets;
using Berth.Network.Ipam;

namespace Berth.Network.Tests;

/// <summary>
/// A simulated host: a private namespace standing for the machine (Berth's bridges and nft table go there), a
/// network manager over a temporary data directory, and an "external host" namespace joined to the simulated
/// host by a veth pair (10.250.0.1 here, 10.250.0.2 there).
/// </summary>
internal sealed class NetworkFixture : IDisposable
{
    public static readonly IPAddress HostAddress = IPAddress.Parse("10.250.0.1");

    private readonly List<TestNamespace> _containers = [];

    public NetworkFixture()
    {
        HostNamespace = new TestNamespace("host");
        External = new TestNamespace("ext");
        DataDirectory = Directory.CreateTempSubdirectory("berth-network-test-").FullName;
        HostNamespace.In("link", "add", "ext0", "type", "veth", "peer", "name", "eth0", "netns", External.Name);
        HostNamespace.In("addr", "add", "10.250.0.1/24", "dev", "ext0");
        HostNamespace.In("link", "set", "ext0", "up");
        HostNamespace.In("link", "set", "lo", "up");
        External.In("addr", "add", "10.250.0.2/24", "dev", "eth0");
        External.In("link", "set", "eth0", "up");
        External.In("link", "set", "lo", "up");
        External.In("route", "add", "default", "via", "10.250.0.1");
        Host = NetworkHost.Join(HostNamespace.Path);
        Manager = new NetworkManager(Host, new NetworkStore(Path.Combine(DataDirectory, "networks")));
        Manager.Initialize();
    }

    public TestNamespace HostNamespace { get; }

    public TestNamespace External { get; }

    public string DataDirectory { get; }

    public NetworkHost Host { get; }

    public NetworkManager Manager { get; }

    /// <summary>A namespace standing for a container's (what /proc/PID/ns/net of its init would be).</summary>
    public TestNamespace Container()
    {
        var ns = new TestNamespace("ctr");
        _containers.Add(ns);
        return ns;
    }

    /// <summary>A TCP listener opened inside <paramref name="ns"/> that answers each connection with <paramref name="reply"/>.</summary>
    public static Socket Listen(TestNamespace ns, int port, string reply)
    {
        using var thread = new NamespaceThread(ns.Path);
        var listener = thread.Invoke(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            socket.Listen();
            return socket;
        });
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptAsync();
                    await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(reply));
                    client.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        return listener;
    }

    /// <summary>Connects from inside <paramref name="ns"/> to <paramref name="target"/> and returns what the server sent.</summary>
    public static string Fetch(TestNamespace ns, IPEndPoint target)
    {
        using var thread = new NamespaceThread(ns.Path);
        using var socket = thread.Invoke(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        socket.ConnectAsync(target, timeout.Token).AsTask().GetAwaiter().GetResult();
        var buffer = new byte[256];
        int total = 0, read;
        while ((read = socket.ReceiveAsync(buffer.AsMemory(total), timeout.Token).AsTask().GetAwaiter().GetResult()) > 0)
            total += read;
        return System.Text.Encoding.ASCII.GetString(buffer, 0, total);
    }

    public void Dispose()
    {
        Manager.RemoveHostState();
        Host.Dispose();
        foreach (var ns in _containers)
            ns.Dispose();
        External.Dispose();
        HostNamespace.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
