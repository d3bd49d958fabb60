using Berth.Engine.Host;

namespace Berth.Engine.Rootfs;

/// <summary>Questions about the engine's own mount table (/proc/self/mountinfo).</summary>
public static class MountTable
{
    /// <summary>Whether a mount sits on <paramref name="path"/>: one statx, whatever the size of the mount table.</summary>
    public static bool IsMountPoint(string path) => Berth.Interop.Sys.IsMountRoot(path);

    /// <summary>Mount points at or below <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> MountPointsUnder(string directory)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return MountInfo.ReadSelf()
            .Select(m => m.MountPoint)
            .Where(m => m == full || m.StartsWith(full + "/", StringComparison.Ordinal))
            .ToList();
    }
}
