using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Archive;

/// <summary>
/// docker cp's path rules (moby daemon/archive_unix.go, containerfs_linux.go), applied through openat2
/// RESOLVE_IN_ROOT on a <see cref="FilesystemView"/>: a path is cleaned lexically as if absolute, then resolved
/// inside the container's root, where ".." and symlinks (absolute or relative) never lead out of it.
/// </summary>
internal static class ContainerPath
{
    private const int MaxLinks = 255;

    /// <summary>
    /// The path as moby reads it: <c>filepath.Join("/", path)</c>, the trailing "/" or "/." kept by
    /// <c>PreserveTrailingDotOrSeparator</c> (they ask for the last component to be followed, like lstat does
    /// with a trailing slash), and the base name that the stat and the archive report (<c>filepath.Base</c>).
    /// </summary>
    public static (string Path, bool FollowLast, string Name) Parse(string path)
    {
        if (path.Length == 0)
            throw new InvalidParameterException("path is empty");
        string clean = Clean(path);
        bool trailingDot = path == "." || path.EndsWith("/.", StringComparison.Ordinal);
        bool followLast = clean != "/" && (trailingDot || path.EndsWith('/'));
        string name = trailingDot ? "." : clean == "/" ? "/" : clean[(clean.LastIndexOf('/') + 1)..];
        return (clean, followLast, name);
    }

    /// <summary>Go's <c>filepath.Clean("/" + path)</c>: no empty or "." components, ".." applied lexically, never above "/".</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
            }
            else if (part.Length > 0 && part != ".")
            {
                parts.Add(part);
            }
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>
    /// Finds a path for stat and archive as moby's <c>os.Lstat</c> in the container does: every symlink on the way
    /// is followed, the last component is not (unless <see cref="Parse"/> says so). Null when it does not exist.
    /// In a running container's namespace, what lies inside /proc, /sys and the like does not exist either,
    /// as in Docker's view; their mount points are there, as empty directories.
    /// </summary>
    public static ResolvedPath? Resolve(FilesystemView view, string path)
    {
        var (clean, followLast, _) = Parse(path);
        if (clean == "/" || followLast)
        {
            if (!TryOpenInRoot(view.Root, clean, O_PATH | O_DIRECTORY, out var itself))
                return null;
            var stat = Sys.Fstat(itself);
            if (view.Running && !stat.IsMountRoot && FilesystemView.IsKernelFilesystem(itself))
            {
                itself.Dispose();
                return null;
            }
            return new ResolvedPath(itself, ".", stat);
        }
        int slash = clean.LastIndexOf('/');
        if (!TryOpenInRoot(view.Root, clean[..Math.Max(slash, 1)], O_PATH | O_DIRECTORY, out var parent))
            return null;
        string name = clean[(slash + 1)..];
        if ((view.Running && FilesystemView.IsKernelFilesystem(parent)) || !Sys.TryStatAt(parent, name, out var status))
        {
            parent.Dispose();
            return null;
        }
        return new ResolvedPath(parent, name, status);
    }

    /// <summary>
    /// The directory an archive is extracted to: like moby's <c>filepath.EvalSymlinks</c>, every symlink is followed,
    /// the last one too, so that a symlink to a directory can be the destination.
    /// </summary>
    /// <exception cref="ContainerPathNotFoundException">it does not exist (the message names <paramref name="container"/>).</exception>
    /// <exception cref="InvalidParameterException">it is not a directory, or is a kernel filesystem of the running container.</exception>
    public static SafeFileHandle OpenDirectory(FilesystemView view, string path, string container)
    {
        string clean = Parse(path).Path;
        if (TryOpenInRoot(view.Root, clean, O_PATH | O_DIRECTORY, out var directory))
        {
            if (view.Running && FilesystemView.IsKernelFilesystem(directory))
            {
                directory.Dispose();
                throw new InvalidParameterException($"extraction point {path} is a kernel filesystem of the container");
            }
            return directory;
        }
        if (TryOpenInRoot(view.Root, clean, O_PATH, out var other))
        {
            other.Dispose();
            throw new InvalidParameterException("extraction point is not a directory");
        }
        throw new ContainerPathNotFoundException(path, container);
    }

    /// <summary>
    /// moby's <c>symlink.FollowSymlinkInScope(path, "/")</c>: the absolute path with every symlink on it resolved,
    /// as far as the components exist (a missing one is kept as it is), inside the container's root.
    /// </summary>
    public static string FollowInScope(SafeFileHandle root, string path)
    {
        var todo = Components(path);
        todo.Reverse();
        var done = new List<string>();
        int links = 0;
        while (todo.Count > 0)
        {
            string part = todo[^1];
            todo.RemoveAt(todo.Count - 1);
            if (part == "..")
            {
                if (done.Count > 0)
                    done.RemoveAt(done.Count - 1);
                continue;
            }
            done.Add(part);
            if (ReadSymlink(root, done) is not { } target)
                continue;
            if (++links > MaxLinks)
                throw new IOException($"too many symlinks in {path}");
            done.RemoveAt(done.Count - 1);
            if (target.StartsWith('/'))
                done.Clear();
            var next = Components(target);
            next.Reverse();
            todo.AddRange(next);
        }
        return "/" + string.Join('/', done);
    }

    /// <summary>The target of the symlink at <paramref name="parts"/>, or null when that is not a symlink or does not exist.</summary>
    private static string? ReadSymlink(SafeFileHandle root, List<string> parts)
    {
        string parentPath = "/" + string.Join('/', parts.Take(parts.Count - 1));
        if (!TryOpenInRoot(root, parentPath, O_PATH | O_DIRECTORY, out var parent))
            return null;
        using (parent)
        {
            if (!Sys.TryStatAt(parent, parts[^1], out var status) || !status.IsSymlink)
                return null;
            return Sys.ReadLinkAt(parent, parts[^1]);
        }
    }

    private static List<string> Components(string path) => [.. path.Split('/').Where(p => p.Length > 0 && p != ".")];

    /// <summary>openat2 RESOLVE_IN_ROOT; false when the path does not resolve (missing, not a directory, too many links).</summary>
    private static bool TryOpenInRoot(SafeFileHandle root, string path, int flags, out SafeFileHandle handle)
    {
        if (Sys.TryOpenAt2(root, path, flags, Sys.ResolveInRoot, out handle, out int errno))
            return true;
        return errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP ? false : throw new SyscallException($"openat2 `{path}` in the container", errno);
    }
}
