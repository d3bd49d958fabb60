namespace Berth.TestImages;

/// <summary>Writes an image archive (the outer tar): the files sorted by name, each parent directory before them.</summary>
internal static class ArchiveTar
{
    public static void Write(string path, IReadOnlyDictionary<string, byte[]> files)
    {
        var entries = new List<LayerEntry>();
        foreach (var (name, data) in files)
        {
            entries.Add(new LayerEntry(name, System.Formats.Tar.TarEntryType.RegularFile, LayerEntry.FileMode, 0, 0, data));
            for (var dir = Path.GetDirectoryName(name); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
                entries.Add(LayerEntry.Directory(dir));
        }
        var unique = entries.DistinctBy(e => e.Name);
        File.WriteAllBytes(path + ".tmp", LayerTar.Write(LayerTar.Sorted(unique)));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
