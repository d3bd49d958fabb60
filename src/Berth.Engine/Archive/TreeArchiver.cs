using System.Formats.Tar;
using Berth.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Archive;

/// <summary>
/// Writes files of a container to a tar the way moby's tarAppender.addTarFile does: PAX headers with the
/// permission, setuid/setgid/sticky bits, uid, gid and mtime truncated to the second (FileInfoHeader), directory
/// names ending in "/", symlinks as symlinks, a regular file with more links as a hardlink to the first name
/// it was written under, device nodes and fifos as headers; sockets are skipped. Everything is opened relative
/// to its directory's handle and never through a symlink. An entry that vanishes meanwhile is skipped, as
/// moby's walk does for a running container. Kernel filesystems (/proc, /sys) are not descended into.
/// With <paramref name="overlayWhiteouts"/> (an overlay upper dir becoming a layer: commit), overlayfs's forms are
/// turned back into OCI ones as go-archive's overlayWhiteoutConverter does: a 0:0 character device X becomes an empty
/// file <c>.wh.X</c> (mode 0600), and a directory with trusted.overlay.opaque=y is followed by <c>.wh..wh..opq</c>.
/// </summary>
internal sealed class TreeArchiver(TarWriter writer, ILogger logger, bool overlayWhiteouts = false)
{
    private const string OpaqueXattr = "trusted.overlay.opaque";

    private readonly Dictionary<(ulong Device, ulong Inode), string> _firstNames = [];

    /// <summary>Adds <paramref name="name"/> in <paramref name="directory"/> (".": the directory itself) as <paramref name="archiveName"/>, with its tree.</summary>
    public async Task AddAsync(SafeFileHandle directory, string name, string archiveName, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (!Sys.TryStatAt(directory, name, out var status))
            return;
        switch (status.FileType)
        {
            case FileStat.S_IFDIR:
                await AddDirectoryAsync(directory, name, archiveName.EndsWith('/') ? archiveName : archiveName + "/", status, ct);
                break;
            case FileStat.S_IFREG:
                await AddFileAsync(directory, name, archiveName, status, ct);
                break;
            case FileStat.S_IFLNK:
                if (TryReadLink(directory, name) is not { } target)
                    return;
                var link = Entry(TarEntryType.SymbolicLink, archiveName, status);
                link.LinkName = target;
                await writer.WriteEntryAsync(link, ct);
                break;
            case FileStat.S_IFCHR when overlayWhiteouts && status.RdevMajor == 0 && status.RdevMinor == 0:
                int slash = archiveName.LastIndexOf('/');
                var whiteout = Entry(TarEntryType.RegularFile, archiveName[..(slash + 1)] + ".wh." + archiveName[(slash + 1)..], status);
                whiteout.Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                await writer.WriteEntryAsync(whiteout, ct);
                break;
            case FileStat.S_IFCHR or FileStat.S_IFBLK:
                var device = Entry(status.FileType == FileStat.S_IFCHR ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, archiveName, status);
                device.DeviceMajor = (int)status.RdevMajor;
                device.DeviceMinor = (int)status.RdevMinor;
                await writer.WriteEntryAsync(device, ct);
                break;
            case FileStat.S_IFIFO:
                await writer.WriteEntryAsync(Entry(TarEntryType.Fifo, archiveName, status), ct);
                break;
            default:
                // archive/tar cannot write sockets; moby logs and goes on.
                logger.LogDebug("Archive: skipping socket {Name}", archiveName);
                break;
        }
    }

    /// <summary>Adds what the open directory holds, each child named <paramref name="prefix"/> + its name, in name order.</summary>
    public async Task AddContentsAsync(SafeFileHandle directory, string prefix, CancellationToken ct)
    {
        if (!Sys.TryOpenAt2(directory, ".", O_RDONLY | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var listing, out int errno))
            throw new SyscallException($"open `{prefix}`", errno);
        List<string> names;
        using (listing)
            names = Sys.ReadDirectory(listing);
        names.Sort(StringComparer.Ordinal);
        foreach (string child in names)
            await AddAsync(directory, child, prefix + child, ct);
    }

    private async Task AddDirectoryAsync(SafeFileHandle parent, string name, string archiveName, FileStat status, CancellationToken ct)
    {
        // The opaque xattr can only be read through a real descriptor, not an O_PATH one.
        if (!TryOpen(parent, name, (overlayWhiteouts ? O_RDONLY : O_PATH) | O_DIRECTORY, out var directory))
            return;
        using (directory)
        {
            await writer.WriteEntryAsync(Entry(TarEntryType.Directory, archiveName, status), ct);
            if (overlayWhiteouts && Sys.GetXattr(directory, OpaqueXattr) is [(byte)'y'])
            {
                var opaque = Entry(TarEntryType.RegularFile, archiveName + ".wh..wh..opq", status);
                opaque.Mode = (UnixFileMode)(status.Permissions & 0x1FF);
                await writer.WriteEntryAsync(opaque, ct);
            }
            if (FilesystemView.IsKernelFilesystem(directory))
                return;
            // moby's rebase of the root "/" gives "/bin", not "//bin".
            await AddContentsAsync(directory, archiveName == "/" ? "/" : archiveName, ct);
        }
    }

    private async Task AddFileAsync(SafeFileHandle directory, string name, string archiveName, FileStat status, CancellationToken ct)
    {
        if (status.Nlink > 1)
        {
            if (_firstNames.TryGetValue((status.Device, status.Inode), out string? first))
            {
                var hardlink = Entry(TarEntryType.HardLink, archiveName, status);
                hardlink.LinkName = first;
                await writer.WriteEntryAsync(hardlink, ct);
                return;
            }
            _firstNames[(status.Device, status.Inode)] = archiveName;
        }
        // O_NONBLOCK: should a fifo replace the file meanwhile, opening it must not wait for a writer.
        if (!TryOpen(directory, name, O_RDONLY | O_NONBLOCK, out var file))
            return;
        using (file)
        {
            var opened = Sys.Fstat(file);
            if (!opened.IsRegularFile || opened.Inode != status.Inode)
                return;
            var entry = Entry(TarEntryType.RegularFile, archiveName, status);
            entry.DataStream = new ExactLengthStream(file, status.Size);
            await writer.WriteEntryAsync(entry, ct);
        }
    }

    /// <summary>A symlink's target; null when it vanished or was replaced meanwhile (ENOENT, EINVAL).</summary>
    private static string? TryReadLink(SafeFileHandle directory, string name)
    {
        try
        {
            return Sys.ReadLinkAt(directory, name);
        }
        catch (SyscallException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL)
        {
            return null;
        }
    }

    /// <summary>Opens one component without following it; false when it vanished or was replaced by a symlink.</summary>
    private static bool TryOpen(SafeFileHandle directory, string name, int flags, out SafeFileHandle handle)
    {
        if (Sys.TryOpenAt2(directory, name, flags, Sys.ResolveBeneathNoSymlinks, out handle, out int errno))
            return true;
        return errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP ? false : throw new SyscallException($"open `{name}`", errno);
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, FileStat status) => new(type, name)
    {
        Mode = (UnixFileMode)status.Permissions,
        Uid = (int)status.Uid,
        Gid = (int)status.Gid,
        ModificationTime = DateTimeOffset.FromUnixTimeSeconds(Math.DivRem(status.MtimeNanoseconds, 1_000_000_000L, out long rem) - (rem < 0 ? 1 : 0)),
    };
}
