using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Volumes;

/// <summary>
/// Copy-up: fills an empty volume with what the image has at the mount's destination, as moby's
/// copyExistingContents does (continuity's CopyDir, then the source directory's owner and mode on the volume's
/// root). Owners, modes, times, xattrs, symlinks (as links), hard links, devices and fifos are kept; sockets are
/// skipped. Both trees are walked through directory handles and *at calls that never follow a symlink, so a
/// symlink in the image can neither redirect the copy's source outside the container nor its target outside the volume.
/// </summary>
public sealed class VolumeCopier
{
    private readonly Dictionary<(ulong Device, ulong Inode), (SafeFileHandle Directory, string Name)> _linked = [];

    /// <summary>Copies <paramref name="source"/> (a directory, opened for reading) into <paramref name="volume"/> if the volume is empty.</summary>
    public static bool CopyIfEmpty(SafeFileHandle source, string volume)
    {
        using var volumeRoot = Sys.OpenDirectoryPath(volume);
        using var target = Sys.OpenDirectoryBeneath(volumeRoot, "", volume);
        if (Sys.ReadDirectory(target).Count > 0)
            return false;
        var copier = new VolumeCopier();
        try
        {
            copier.CopyContents(source, target);
        }
        finally
        {
            foreach (var (directory, _) in copier._linked.Values)
                directory.Dispose();
        }
        var status = Sys.Fstat(source);
        Sys.ChownAt(target, ".", status.Uid, status.Gid);
        Sys.ChmodAt(target, ".", status.Permissions);
        CopyXattrs(source, ".", target, ".");
        return true;
    }

    private void CopyContents(SafeFileHandle source, SafeFileHandle target)
    {
        var directoryTimes = new List<(string Name, DateTimeOffset Mtime)>();
        foreach (string name in Sys.ReadDirectory(source))
        {
            if (!Sys.TryStatAt(source, name, out var status))
                continue; // gone meanwhile
            switch (status.FileType)
            {
                case FileStat.S_IFDIR:
                    Sys.TryMkdirAt(target, name, 0x1C0);
                    using (var from = Sys.OpenDirectoryBeneath(source, name, name))
                    using (var to = Sys.OpenDirectoryBeneath(target, name, name))
                        CopyContents(from, to);
                    directoryTimes.Add((name, status.Mtime));
                    break;
                case FileStat.S_IFREG:
                    if (!CopyFile(source, target, name, status))
                        continue; // a hard link to a file copied before: it has that file's attributes
                    break;
                case FileStat.S_IFLNK:
                    Sys.TrySymlinkAt(Sys.ReadLinkAt(source, name), target, name);
                    Sys.ChownAt(target, name, status.Uid, status.Gid);
                    CopyXattrs(source, name, target, name);
                    Sys.SetTimesAt(target, name, status.Mtime);
                    continue; // a symlink has no mode of its own
                case FileStat.S_IFCHR or FileStat.S_IFBLK or FileStat.S_IFIFO:
                    Sys.TryMknodAt(target, name, status.Mode, status.Rdev);
                    break;
                default:
                    continue; // sockets
            }
            Sys.ChownAt(target, name, status.Uid, status.Gid);
            Sys.ChmodAt(target, name, status.Permissions); // after chown, which clears setuid and setgid
            CopyXattrs(source, name, target, name);
            if (status.FileType != FileStat.S_IFDIR)
                Sys.SetTimesAt(target, name, status.Mtime);
        }
        foreach (var (name, mtime) in directoryTimes)
            Sys.SetTimesAt(target, name, mtime);
    }

    /// <summary>Copies a regular file, or links it to the copy of a file with the same inode; false for a link.</summary>
    private bool CopyFile(SafeFileHandle source, SafeFileHandle target, string name, FileStat status)
    {
        if (status.Nlink > 1)
        {
            if (_linked.TryGetValue((status.Device, status.Inode), out var first))
            {
                Sys.TryLinkAt(first.Directory, first.Name, target, name);
                return false;
            }
            _linked[(status.Device, status.Inode)] = (Sys.OpenDirectoryBeneath(target, "", name), name);
        }
        using var input = Sys.OpenAt2(source, name, O_RDONLY | O_NOFOLLOW, Sys.ResolveBeneathNoSymlinks);
        if (!Sys.TryCreateAt(target, name, 0x180, out var output))
            throw new IOException($"copy-up: `{name}` exists in the volume already");
        using (output)
        using (var from = new FileStream(input, FileAccess.Read, 1))
        using (var to = new FileStream(output, FileAccess.Write, 1))
            from.CopyTo(to, 1 << 20);
        return true;
    }

    private static void CopyXattrs(SafeFileHandle source, string sourceName, SafeFileHandle target, string targetName)
    {
        string from = $"/proc/self/fd/{source.DangerousGetHandle()}/{sourceName}";
        string to = $"/proc/self/fd/{target.DangerousGetHandle()}/{targetName}";
        foreach (var (name, value) in Sys.ReadXattrs(from))
            Sys.SetXattr(to, name, value);
    }
}
