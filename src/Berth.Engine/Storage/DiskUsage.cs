using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Storage;

/// <summary>Bytes the regular files of a tree take (du's apparent size, as moby's directory.Size), symlinks never followed.</summary>
public static class DiskUsage
{
    public static long Of(string directory)
    {
        if (!Sys.TryOpen(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, out var handle))
            return 0;
        using (handle)
            return Of(handle, []);
    }

    private static long Of(SafeFileHandle directory, HashSet<(ulong, ulong)> seen)
    {
        long total = 0;
        foreach (string name in Sys.ReadDirectory(directory))
        {
            if (!Sys.TryStatAt(directory, name, out var status))
                continue;
            if (status.FileType == FileStat.S_IFDIR)
            {
                if (!Sys.TryOpenAt2(directory, name, O_RDONLY | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var child, out _))
                    continue;
                using (child)
                    total += Of(child, seen);
            }
            else if (status.FileType == FileStat.S_IFREG && seen.Add((status.Device, status.Inode)))
                total += status.Size;
        }
        return total;
    }
}
