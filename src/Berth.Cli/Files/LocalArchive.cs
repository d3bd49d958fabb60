using System.Formats.Tar;
using Berth.Interop;

namespace Berth.Cli.Files;

/// <summary>
/// moby/go-archive TarResourceRebase for docker cp to a container: the local source (a file, or a directory and
/// everything below it, walked in lexical order) as a PAX tar whose names are relative to the source's parent,
/// directories with a trailing "/", "./…" for a source ending in "/.". <paramref name="rename"/> maps each name as
/// PrepareArchiveCopy's rebase does. Hard links between files become link entries; sockets are skipped.
/// </summary>
internal static class LocalArchive
{
    public static async Task WriteAsync(CopyInfo source, Func<string, string> rename, Stream output, CancellationToken cancellationToken)
    {
        var (sourceDir, sourceBase) = CopyPaths.SplitPathDirEntry(source.Path);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
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

    private static PaxTarEntry CreateEntry(string path, string name, FileStat status, Dictionary<(ulong, ulong), string> links)
    {
        switch (status.FileType)
        {
            case FileStat.S_IFDIR:
                return new PaxTarEntry(TarEntryType.Directory, name);
            case FileStat.S_IFLNK:
                return new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = new FileInfo(path).LinkTarget ?? "" };
            case FileStat.S_IFREG when status.Nlink > 1:
                if (links.TryGetValue((status.Device, status.Inode), out string? first))
                    return new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = first };
                links[(status.Device, status.Inode)] = name;
                return new PaxTarEntry(TarEntryType.RegularFile, name);
            case FileStat.S_IFREG:
                return new PaxTarEntry(TarEntryType.RegularFile, name);
            case FileStat.S_IFCHR or FileStat.S_IFBLK:
                return new PaxTarEntry(status.FileType == FileStat.S_IFCHR ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, name)
                {
                    DeviceMajor = (int)status.RdevMajor,
                    DeviceMinor = (int)status.RdevMinor,
                };
            case FileStat.S_IFIFO:
                return new PaxTarEntry(TarEntryType.Fifo, name);
            default:
                throw new CopyException($"archive/tar: unknown file mode of {path}");
        }
    }
}
