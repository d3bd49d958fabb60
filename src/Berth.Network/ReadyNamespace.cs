using System.Runtime.InteropServices;
using Berth.Network.Interop;
using Berth.Network.Netlink;
using Microsoft.Win32.SafeHandles;

namespace Berth.Network;

/// <summary>
/// An empty network namespace made ahead of a container start (<see cref="NetworkNamespacePool"/>): held by an open
/// nsfs file instead of a mount, with lo up and a netlink socket opened inside it, so the start neither unshares nor
/// starts a thread to configure the namespace from inside. Disposing it closes both; a namespace nothing else holds
/// (no mount, no process) is freed by the kernel.
/// </summary>
public sealed class ReadyNamespace : IDisposable
{
    private ReadyNamespace(SafeFileHandle handle, RouteNetlink inside)
    {
        Handle = handle;
        Inside = inside;
    }

    /// <summary>The namespace's nsfs file (/proc/thread-self/ns/net of the thread that made it).</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>A NETLINK_ROUTE socket bound to the namespace, usable from any thread.</summary>
    public RouteNetlink Inside { get; }

    /// <summary>Makes one now, on a thread of its own that ends afterwards (architecture rule 1).</summary>
    public static ReadyNamespace Create()
    {
        ReadyNamespace? made = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { made = CreateOnThisThread(); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true, Name = "netns create" };
        thread.Start();
        thread.Join();
        return made ?? throw failure!;
    }

    /// <summary>
    /// Moves the calling thread into a new network namespace and returns it ready. Only for a dedicated thread that
    /// ends without serving anything else: it stays in the namespace (each call moves it into the next one).
    /// </summary>
    internal static ReadyNamespace CreateOnThisThread()
    {
        if (NetLibc.unshare(NetLibc.CLONE_NEWNET) == -1)
            throw new NetlinkException("unshare CLONE_NEWNET", Marshal.GetLastPInvokeError());
        var handle = File.OpenHandle("/proc/thread-self/ns/net", FileMode.Open, FileAccess.Read);
        RouteNetlink? inside = null;
        try
        {
            inside = new RouteNetlink();
            if (inside.LinkIndex("lo") is int lo)
                inside.SetUp(lo);
            return new ReadyNamespace(handle, inside);
        }
        catch
        {
            inside?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Inside.Dispose();
        Handle.Dispose();
    }
}
