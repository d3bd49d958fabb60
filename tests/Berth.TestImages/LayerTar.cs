using System.Formats.Tar;

namespace Berth.TestImages;

/// <summary>Writes layer tars (PAX) reproducibly: fixed mtime, numeric owners, symlinks kept as symlinks.</summary>
internal static class LayerTar
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The entries of a directory tree, owners from <see cref="BusyboxRootfs.OwnerOf"/>; not sorted.</summary>
    public static List<LayerEntry> Scan(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        var entries = new List<LayerEntry>();
        foreach (var info in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options))
        {
            var name = Path.GetRelativePath(root, info.FullName);
            var owner = BusyboxRootfs.OwnerOf(name);
            if (info.LinkTarget is { } target)
                entries.Add(new LayerEntry(name, TarEntryType.SymbolicLink, (UnixFileMode)0b111_111_111, owner, owner, LinkName: target));
            else if (info is DirectoryInfo)
                entries.Add(new LayerEntry(name + "/", TarEntryType.Directory, info.UnixFileMode, owner, owner));
            else
                entries.Add(new LayerEntry(name, TarEntryType.RegularFile, info.UnixFileMode, owner, owner, File.ReadAllBytes(info.FullName)));
        }
        return entries;
    }

    public static List<LayerEntry> Sorted(IEnumerable<LayerEntry> entries) =>
        entries.OrderBy(e => e.Name.TrimEnd('/'), StringComparer.Ordinal).ToList();

    /// <summary>The tar of the entries, in the order given.</summary>
    public static byte[] Write(IEnumerable<LayerEntry> entries)
    {
        var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
                tar.WriteEntry(ToTarEntry(entry));
        }
        return PaxHeaderNames.Normalize(buffer.ToArray());
    }

    static PaxTarEntry ToTarEntry(LayerEntry entry)
    {
        var tarEntry = new PaxTarEntry(entry.Type, entry.Name)
        {
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            ModificationTime = Epoch,
        };
        if (entry.LinkName is not null)
            tarEntry.LinkName = entry.LinkName;
        if (entry.Content is not null)
            tarEntry.DataStream = new MemoryStream(entry.Content);
        return tarEntry;
    }
}
