using System.Net;
using Berth.Network.Netlink;
using Berth.Network.Nftables;

namespace Berth.Network;

/// <summary>
/// The network namespace that holds Berth's bridges, its nft table and its published-port reservations: the
/// daemon's own (<see cref="Current"/>), or, in tests, a namespace the test created (<see cref="Join"/>), reached
/// through a <see cref="NamespaceThread"/> so no test ever touches the machine's interfaces or firewall.
/// The netlink and nfnetlink sockets are opened in that namespace once and used from any thread.
/// </summary>
public sealed class NetworkHost : IDisposable
{
    private readonly NamespaceThread? _thread;

    private NetworkHost(NamespaceThread? thread)
    {
        _thread = thread;
        (Netlink, Nft) = Run(() => (new RouteNetlink(), new NftContext()));
    }

    public RouteNetlink Netlink { get; }

    public NftContext Nft { get; }

    /// <summary>The namespace of the calling process (berthd).</summary>
    public static NetworkHost Current() => new(null);

    /// <summary>The namespace at <paramref name="namespacePath"/>, e.g. /run/netns/NAME.</summary>
    public static NetworkHost Join(string namespacePath) => new(new NamespaceThread(namespacePath));

    /// <summary>Runs <paramref name="action"/> in this namespace (inline for the daemon's own).</summary>
    public T Run<T>(Func<T> action) => _thread is null ? action() : _thread.Invoke(action);

    public void Run(Action action) => Run(() => { action(); return true; });

    /// <summary>Writes a sysctl under /proc/sys/net, which resolves to the namespace of the thread that opens it.</summary>
    public void WriteSysctl(string name, string value) =>
        Run(() => File.WriteAllText("/proc/sys/" + name.Replace('.', '/'), value));

    /// <summary>Reserves the host port of a published port in this namespace (see <see cref="PortReservation"/>).</summary>
    public PortReservation ReservePort(PortMapping port) =>
        Run(() => PortReservation.Bind(port.Protocol, port.AnyAddress ? IPAddress.Any : IPAddress.Parse(port.HostIp), port.HostPort));

    public void Dispose()
    {
        Netlink.Dispose();
        Nft.Dispose();
        _thread?.Dispose();
    }
}
