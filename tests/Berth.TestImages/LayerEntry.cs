using System.Formats.Tar;
using System.Text;

namespace Berth.TestImages;

/// <summary>One entry of a layer tar: a relative name without leading "/", directories ending in "/".</summary>
internal sealed record LayerEntry(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, byte[]? Content = null, string? LinkName = null)
{
    public const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    public const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;

    public static LayerEntry Directory(string name) => new(name.TrimEnd('/') + "/", TarEntryType.Directory, DirectoryMode, 0, 0);

    public static LayerEntry File(string name, string text) => new(name, TarEntryType.RegularFile, FileMode, 0, 0, Encoding.UTF8.GetBytes(text));
}
