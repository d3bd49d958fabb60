using Berth.Interop;
using Berth.InitSpec;
using static Berth.Interop.Libc;

namespace Berth.Init;

/// <summary>
/// `-v SRC:DST[:ro]`. Each source is cloned as a detached mount tree (open_tree) before pivot_root, while
/// the host path is reachable, and attached (move_mount) after it, so the destination is resolved inside
/// the new root and a symlink in the image can never send a mount, or the directory made for it, to the host.
/// </summary>
public static class BindMounts
{
    public static int[] CloneSources(List<InitMount> mounts)
    {
        var trees = new int[mounts.Count];
        for (int i = 0; i < mounts.Count; i++)
            trees[i] = Sys.CloneMountTree(mounts[i].Source);
        return trees;
    }

    public static void Attach(List<InitMount> mounts, int[] trees)
    {
        for (int i = 0; i < mounts.Count; i++)
        {
            string source = mounts[i].Source, destination = mounts[i].Destination;
            if (Directory.Exists($"/proc/self/fd/{trees[i]}"))
                Directory.CreateDirectory(destination);
            else
                CreateFileMountPoint(destination);
            Sys.AttachMountTree(trees[i], destination);
            Tmds.Linux.LibC.close(trees[i]);
            if (mounts[i].ReadOnly)
                Sys.Mount(source, destination, null, MS_BIND | MS_REMOUNT | MS_RDONLY);
        }
    }

    private static void CreateFileMountPoint(string path)
    {
        if (Path.Exists(path))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }
}
