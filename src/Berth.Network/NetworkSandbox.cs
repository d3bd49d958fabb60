using System.Runtime.InteropServices;
using Berth.Network.Interop;
using Berth.Network.Netlink;

namespace Berth.Network;

/// <summary>
/// A container's network namespace, made before its process exists so its interface, address and routes are ready
/// when the command starts: a dedicated thread unshares a new namespace and bind-mounts its nsfs file at a path
/// under the data root (as `ip netns add` does under /run/netns), then exits; the launcher joins that path. The
/// mount keeps the namespace alive without a process; unmounting it after the container's last process died frees
/// the namespace, and the kernel deletes the veth with it (no 16-25 ms RTM_DELLINK on the stop path, host-facts.md).
/// </summary>
public static class NetworkSandbox
{
    /// <summary>Creates a new, empty network namespace (loopback down) held by a bind mount at <paramref name="path"/>.</summary>
    public static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // The mount point: an empty file; O_EXCL so two starts never share one.
        File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write).Dispose();
        Exception? failure = null;
        // Architecture rule 1: the thread that unshares never returns to the pool; it ends here.
        var thread = new Thread(() =>
        {
            try
            {
                if (NetLibc.unshare(NetLibc.CLONE_NEWNET) == -1)
                    throw new NetlinkException("unshare CLONE_NEWNET", Marshal.GetLastPInvokeError());
                if (NetLibc.mount("/proc/thread-self/ns/net", path, null, NetLibc.MS_BIND, 0) == -1)
                    throw new NetlinkException($"bind-mount the new network namespace on `{path}`", Marshal.GetLastPInvokeError());
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "netns create" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            File.Delete(path);
            throw failure;
        }
    }

    /// <summary>Unmounts (lazily, so a process still inside keeps it until it exits) and deletes the mount point; idempotent.</summary>
    public static void Remove(string path)
    {
        if (!File.Exists(path))
            return;
        if (NetLibc.umount2(path, NetLibc.MNT_DETACH) == -1 && Marshal.GetLastPInvokeError() is int errno && errno != ErrnoNames.EINVAL)
            throw new NetlinkException($"umount `{path}`", errno);
        File.Delete(path);
    }

    /// <summary>Removes every sandbox under <paramref name="directory"/> (recovery: after a kill -9 no container runs any more).</summary>
    public static IReadOnlyList<string> RemoveAll(string directory)
    {
        if (!Directory.Exists(directory))
            return [];
        var removed = new List<string>();
        foreach (string path in Directory.EnumerateFiles(directory))
        {
            Remove(path);
            removed.Add(Path.GetFileName(path));
        }
        return removed;
    }
}
