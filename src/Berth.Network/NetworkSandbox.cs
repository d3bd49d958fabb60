using System.Runtime.InteropServices;
using Berth.Network.Interop;
using Berth.Network.Netlink;

namespace Berth.Network;

/// <summary>
/// A container's network namespace, made before its process exists so its interface, address and routes are ready
/// when the command starts: a namespace made ahead (<see cref="NetworkNamespacePool"/>) is bind-mounted at a path
/// under the data root (as `ip netns add` does under /run/netns); the launcher joins that path. The
/// mount keeps the namespace alive without a process; unmounting it after the container's last process died frees
/// the namespace, and the kernel deletes the veth with it (no 16-25 ms RTM_DELLINK on the stop path, host-facts.md).
/// </summary>
public static class NetworkSandbox
{
    /// <summary>Holds <paramref name="ready"/>'s namespace by a bind mount at <paramref name="path"/>, so it outlives the handle.</summary>
    public static void Create(string path, ReadyNamespace ready)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // The mount point: an empty file; O_EXCL so two starts never share one.
        File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write).Dispose();
        string source = "/proc/self/fd/" + ready.Handle.DangerousGetHandle().ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (NetLibc.mount(source, path, null, NetLibc.MS_BIND, 0) == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            File.Delete(path);
            throw new NetlinkException($"bind-mount the new network namespace on `{path}`", errno);
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

    /// <summary>
    /// Removes every sandbox under <paramref name="directory"/> but those of <paramref name="keep"/> (recovery: the
    /// containers that outlived the previous berthd keep theirs; no other container runs any more).
    /// </summary>
    public static IReadOnlyList<string> RemoveAll(string directory, IReadOnlySet<string>? keep = null)
    {
        if (!Directory.Exists(directory))
            return [];
        var removed = new List<string>();
        foreach (string path in Directory.EnumerateFiles(directory))
        {
            if (keep?.Contains(Path.GetFileName(path)) == true)
                continue;
            Remove(path);
            removed.Add(Path.GetFileName(path));
        }
        return removed;
    }
}
