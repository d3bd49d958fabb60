using System.Formats.Tar;
using Berth.Interop;

namespace Berth.Cli.Files;

/// <summary>
/// moby/go-archive TarResourceRebase for docker cp to a container: the local source (a file, or a directory and
/// everything below it, walked in lexical order) as a tar whose names are relative to the source's parent,
/// directories with a trailing "/", "./…" for a source ending in "/.". <paramref name="rename"/> maps each name as
/// PrepareArchiveCopy's rebase does. Hard links between files become link entries; sockets are skipped. As Go's
/// writer in PAX format, an entry gets extended records only when ustar cannot hold it (a long name or link).
/// </summary>
internal static class LocalArchive
{
    public static async Task WriteAsync(CopyInfo source, Func<string, string> rename, Stream output, CancellationToken cancellationToken)
    {
        var (sourceDir, sourceBase) = CopyPaths.SplitPathDirEntry(source.Path);
        await using var writer = new TarWriter(output, leaveOpen: true);
        var links = new Dictionary<(ulong Device, ulong Inode), string>();
        string root = sourceBase == "." ? sourceDir : GoPath.Join(sourceDir, sourceBase);
        await AddAsync(writer, root, sourceBase, rename, source.RebaseName, sourceBase, links, cancellationToken);
    }

    private static async Task AddAsync(TarWriter writer, string path, string relative, Func<string, string> rename, string rebaseName, string include,
        Dictionary<(ulong, ulong), string> links, CancellationToken cancellationToken)
    {
        var status = CopyPaths.Lstat(path);
        string name = relative;
        if (rebaseName.Length > 0)
            name = CopyPaths.Rebase(name, include, rebaseName == "/" ? "" : rebaseName);
        name = rename(name);
        if (status.IsDirectory && !name.EndsWith('/'))
            name += "/";
        if (status.FileType == FileStat.S_IFSOCK)
            return;
        var entry = CreateEntry(path, name, status, links);
        var mtime = DateTimeOffset.FromUnixTimeSeconds(status.MtimeNanoseconds / 1_000_000_000);
        entry.ModificationTime = mtime;
        entry.Mode = (UnixFileMode)(status.Mode & 0xFFF);
        entry.Uid = (int)status.Uid;
        entry.Gid = (int)status.Gid;
        if (entry.EntryType == TarEntryType.RegularFile)
        {
            await using var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0, FileOptions.Asynchronous);
            entry.DataStream = data;
            await writer.WriteEntryAsync(entry, cancellationToken);
        }
        else
        {
            await writer.WriteEntryAsync(entry, cancellationToken);
        }
        if (!status.IsDirectory)
            return;
        var children = Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
        foreach (string child in children)
        {
            string childRelative = relative == "." ? "./" + child : relative + "/" + child;
            await AddAsync(writer, GoPath.Join(path, child), childRelative, rename, rebaseName, include, links, cancellationToken);
        }
    }

    private static PosixTarEntry CreateEntry(string path, string name, FileStat status, Dictionary<(ulong, ulong), string> links)
    {
        switch (status.FileType)
        {
            case FileStat.S_IFDIR:
                return Entry(TarEntryType.Directory, name);
            case FileStat.S_IFLNK:
                return Entry(TarEntryType.SymbolicLink, name, new FileInfo(path).LinkTarget ?? "");
            case FileStat.S_IFREG when status.Nlink > 1:
                if (links.TryGetValue((status.Device, status.Inode), out string? first))
                    return Entry(TarEntryType.HardLink, name, first);
                links[(status.Device, status.Inode)] = name;
                return Entry(TarEntryType.RegularFile, name);
            case FileStat.S_IFREG:
                return Entry(TarEntryType.RegularFile, name);
            case FileStat.S_IFCHR or FileStat.S_IFBLK:
                var device = Entry(status.FileType == FileStat.S_IFCHR ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, name);
                device.DeviceMajor = (int)status.RdevMajor;
                device.DeviceMinor = (int)status.RdevMinor;
                return device;
            case FileStat.S_IFIFO:
                return Entry(TarEntryType.Fifo, name);
            default:
                throw new CopyException($"archive/tar: unknown file mode of {path}");
        }
    }

    /// <summary>A ustar entry when the name (up to 100 bytes, or a 155-byte prefix and 100) and link fit and are ASCII, else a PAX one.</summary>
    private static PosixTarEntry Entry(TarEntryType type, string name, string? linkName = null)
    {
        bool fits = FitsUstar(name) && (linkName ?? "").Length <= 100 && System.Text.Ascii.IsValid(linkName ?? "");
        PosixTarEntry entry = fits ? new UstarTarEntry(type, name) : new PaxTarEntry(type, name);
        if (linkName is not null)
            entry.LinkName = linkName;
        return entry;
    }

    private static bool FitsUstar(string name)
    {
        if (!System.Text.Ascii.IsValid(name))
            return false;
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(name);
        if (bytes.Length <= 100)
            return true;
        for (int i = bytes.Length - 1; i > 0; i--)
            if (bytes[i] == (byte)'/' && i <= 155 && bytes.Length - i - 1 <= 100)
                return true;
        return false;
    }
}
