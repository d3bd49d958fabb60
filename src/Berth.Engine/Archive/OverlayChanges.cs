using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Archive;

/// <summary>
/// <c>docker diff</c> from a container's overlay upper dir, without mounting anything. moby computes it by walking
/// the container's and the image's whole trees side by side (go-archive ChangesDirs, used by overlay2 since
/// moby#37294 because its older upper-dir scan, OverlayChanges, got opaque directories wrong); this walks only
/// the upper dir and asks <see cref="LowerLayers"/> about the image, with the same results:
/// <list type="bullet">
/// <item>a whiteout is D when the image has the name;</item>
/// <item>a name the image does not have is A, and so is everything below it;</item>
/// <item>a name the image has is C when mode, owner or device differ, or, for a non-directory, size or mtime
/// (statDifferent, sameFsTime); a directory with a change below it is C too;</item>
/// <item>an opaque directory hides the image's children: those not in the upper dir are D.</item>
/// </list>
/// Sorted by path. The upper dir of a running container changes meanwhile: everything is opened relative to its
/// directory's handle, never through a symlink, and a name that vanishes is skipped.
/// </summary>
internal sealed class OverlayChanges(string upperDirectory, LowerLayers image)
{
    private const string OpaqueXattr = "trusted.overlay.opaque";

    /// <summary>
    /// The mount points of the files berthd binds over the image's (NetworkStep): Docker keeps them in an init layer
    /// below the container's, so `docker diff` never shows them, and writes to them go to the bound files anyway.
    /// </summary>
    private static readonly HashSet<string> NetworkFiles = ["etc/hosts", "etc/hostname", "etc/resolv.conf"];

    private readonly List<ContainerChange> _changes = [];

    public List<ContainerChange> Compute()
    {
        if (!Sys.TryOpen(upperDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, out var upper))
            return [];
        using (upper)
            CompareDirectory(upper, "", imageHasDirectory: true);
        _changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return _changes;
    }

    /// <summary>Compares the children of an upper directory with the image; returns whether it recorded a change.</summary>
    private bool CompareDirectory(SafeFileHandle directory, string path, bool imageHasDirectory)
    {
        int before = _changes.Count;
        var names = Sys.ReadDirectory(directory);
        foreach (string name in names)
        {
            string child = path.Length == 0 ? name : path + "/" + name;
            if (Sys.TryStatAt(directory, name, out var status))
                CompareEntry(directory, name, child, status, imageHasDirectory ? image.Lookup(child) : null);
        }
        if (imageHasDirectory && IsOpaque(directory))
        {
            foreach (string hidden in image.Children(path).Except(names, StringComparer.Ordinal))
                Record(ChangeKind.Deleted, path.Length == 0 ? hidden : path + "/" + hidden);
        }
        return _changes.Count > before;
    }

    private void CompareEntry(SafeFileHandle parent, string name, string path, FileStat upper, FileStat? lower)
    {
        if (upper.IsWhiteout)
        {
            if (lower is not null)
                Record(ChangeKind.Deleted, path);
            return;
        }
        if (lower is not { } before)
        {
            Record(ChangeKind.Added, path);
            if (upper.IsDirectory)
                CompareChildren(parent, name, path, imageHasDirectory: false);
            return;
        }
        bool differs = Differs(before, upper);
        if (differs)
            Record(ChangeKind.Modified, path);
        if (upper.IsDirectory && CompareChildren(parent, name, path, before.IsDirectory) && !differs)
            Record(ChangeKind.Modified, path);
    }

    private bool CompareChildren(SafeFileHandle parent, string name, string path, bool imageHasDirectory)
    {
        if (!Sys.TryOpenAt2(parent, name, O_RDONLY | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var directory, out _))
            return false;
        using (directory)
            return CompareDirectory(directory, path, imageHasDirectory);
    }

    /// <summary>go-archive's statDifferent: size and mtime are no measure of change for a directory.</summary>
    private static bool Differs(FileStat before, FileStat after) =>
        before.Mode != after.Mode || before.Uid != after.Uid || before.Gid != after.Gid || before.Rdev != after.Rdev ||
        (!before.IsDirectory && (before.Size != after.Size || !SameFsTime(before.MtimeNanoseconds, after.MtimeNanoseconds)));

    /// <summary>go-archive's sameFsTime: equal, or the same second when either has no sub-second part (tar loses it).</summary>
    private static bool SameFsTime(long a, long b) =>
        a == b || (a / 1_000_000_000 == b / 1_000_000_000 && (a % 1_000_000_000 == 0 || b % 1_000_000_000 == 0));

    private static bool IsOpaque(SafeFileHandle directory) => Sys.GetXattr(directory, OpaqueXattr) is [(byte)'y'];

    private void Record(ChangeKind kind, string path)
    {
        if (!NetworkFiles.Contains(path))
            _changes.Add(new ContainerChange(kind, "/" + path));
    }
}
