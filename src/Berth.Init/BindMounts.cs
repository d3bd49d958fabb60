using Berth.Interop;
using Berth.InitSpec;
using static Berth.Interop.Libc;

namespace Berth.Init;

/// <summary>
/// `-v SRC:DST[:ro]`, volumes and `--tmpfs`. Each bind source is cloned as a detached mount tree (open_tree)
/// before pivot_root, while the host path is reachable, and attached (move_mount) after it, so the destination
/// is resolved inside the new root and a symlink in the image can never send a mount, or the directory made
/// for it, to the host. A tmpfs is mounted after pivot_root, on a destination resolved the same way.
/// </summary>
public static class BindMounts
{
    public static int[] CloneSources(List<InitMount> mounts)
    {
        var trees = new int[mounts.Count];
        for (int i = 0; i < mounts.Count; i++)
            trees[i] = mounts[i].Type == InitMount.BindType ? Sys.CloneMountTree(mounts[i].Source) : -1;
        return trees;
    }

    public static void Attach(List<InitMount> mounts, int[] trees)
    {
        for (int i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            string destination = mount.Destination;
            if (mount.Type == InitMount.TmpfsType)
            {
                Directory.CreateDirectory(destination);
                Sys.Mount("tmpfs", destination, "tmpfs", mount.Flags, mount.Data.Length == 0 ? null : mount.Data);
                continue;
            }
            if (Directory.Exists($"/proc/self/fd/{trees[i]}"))
                Directory.CreateDirectory(destination);
            else
                CreateFileMountPoint(destination);
            Sys.AttachMountTree(trees[i], destination);
            Tmds.Linux.LibC.close(trees[i]);
            if (mount.ReadOnly)
                Sys.Mount(null, destination, null, MS_BIND | MS_REMOUNT | MS_RDONLY);
            if (Propagation(mount.Propagation) is { } flags)
                Sys.Mount(null, destination, null, flags);
        }
    }

    private static ulong? Propagation(string mode) => mode switch
    {
        "private" => MS_PRIVATE,
        "rprivate" => MS_PRIVATE | MS_REC,
        "slave" => MS_SLAVE,
        "rslave" => MS_SLAVE | MS_REC,
        "shared" => MS_SHARED,
        "rshared" => MS_SHARED | MS_REC,
        _ => null,
    };

    private static void CreateFileMountPoint(string path)
    {
        if (Path.Exists(path))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }
}
