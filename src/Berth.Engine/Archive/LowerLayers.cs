using Berth.Common;
using Berth.Engine.Images;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Archive;

/// <summary>
/// The image's filesystem as overlayfs merges its layer directories, read without mounting it: a name is the
/// top-most layer's entry for it; a whiteout (character device 0:0) hides it in the layers below; a directory
/// merges with the directories of the layers below until one is opaque (trusted.overlay.opaque=y) or the entry
/// below is not a directory. Paths are walked component by component through real directories only, never
/// through a symlink.
/// </summary>
internal sealed class LowerLayers(IReadOnlyList<string> layers)
{
    private const string OpaqueXattr = "trusted.overlay.opaque";

    private readonly Dictionary<string, List<string>?> _directoryLayers = new(StringComparer.Ordinal) { [""] = [.. layers] };

    /// <summary>The status of <paramref name="path"/> (relative, "a/b") in the merged image, or null when it has none.</summary>
    public FileStat? Lookup(string path)
    {
        var (parent, name) = EntryPath.Split(path);
        foreach (string layer in DirectoryLayers(parent) ?? [])
        {
            if (Sys.TryLstat(Full(layer, parent, name), out var status))
                return status.IsWhiteout ? null : status;
        }
        return null;
    }

    /// <summary>The names a directory of the merged image holds (none when it is not a directory there).</summary>
    public IEnumerable<string> Children(string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var visible = new List<string>();
        foreach (string layer in DirectoryLayers(path) ?? [])
        {
            using var directory = OpenDirectory(Full(layer, path, ""));
            foreach (string name in Sys.ReadDirectory(directory))
            {
                // The top-most layer decides: a whiteout there hides the name below.
                if (seen.Add(name) && Sys.TryStatAt(directory, name, out var status) && !status.IsWhiteout)
                    visible.Add(name);
            }
        }
        return visible;
    }

    /// <summary>The layers whose directory <paramref name="path"/> makes up the merged one (top-most first), or null when it is not a directory.</summary>
    private List<string>? DirectoryLayers(string path)
    {
        if (_directoryLayers.TryGetValue(path, out var known))
            return known;
        var (parent, name) = EntryPath.Split(path);
        var result = new List<string>();
        foreach (string layer in DirectoryLayers(parent) ?? [])
        {
            // The parent is a real directory in this layer, so lstat follows no symlink of the layer.
            string full = Full(layer, parent, name);
            if (!Sys.TryLstat(full, out var status))
                continue;
            if (!status.IsDirectory)
                break;
            result.Add(layer);
            if (Sys.GetXattr(full, OpaqueXattr) is [(byte)'y'])
                break;
        }
        var directoryLayers = result.Count > 0 ? result : null;
        _directoryLayers[path] = directoryLayers;
        return directoryLayers;
    }

    private static SafeFileHandle OpenDirectory(string path) =>
        Sys.TryOpen(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, out var handle) ? handle : throw new SyscallException($"open `{path}`", Errno.ENOENT);

    private static string Full(string layer, string parent, string name) =>
        string.Join('/', new[] { layer, parent, name }.Where(p => p.Length > 0));
}
