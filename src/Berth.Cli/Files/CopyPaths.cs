using Berth.Interop;

namespace Berth.Cli.Files;

/// <summary>
/// docker cp's rules for paths, from docker/cli cp.go and moby/go-archive copy.go: which argument names a container,
/// what a trailing "/" or "/." asserts, where an archive is extracted and how its top entry is renamed.
/// </summary>
public static class CopyPaths
{
    /// <summary>splitCpArg: "CONTAINER:PATH" names a container unless the argument is absolute or starts with ".".</summary>
    public static (string Container, string Path) SplitArgument(string argument)
    {
        if (GoPath.IsAbs(argument))
            return ("", argument);
        int colon = argument.IndexOf(':');
        if (colon < 0 || argument[..colon].StartsWith('.'))
            return ("", argument);
        return (argument[..colon], argument[(colon + 1)..]);
    }

    /// <summary>resolveLocalPath: absolute, keeping a trailing "/" or "/." of what was typed.</summary>
    public static string ResolveLocal(string path) => PreserveTrailingDotOrSeparator(GoPath.Abs(path), path);

    public static string PreserveTrailingDotOrSeparator(string cleanedPath, string originalPath)
    {
        if (!SpecifiesCurrentDir(cleanedPath) && SpecifiesCurrentDir(originalPath))
        {
            if (!HasTrailingSeparator(cleanedPath))
                cleanedPath += "/";
            cleanedPath += ".";
        }
        if (!HasTrailingSeparator(cleanedPath) && HasTrailingSeparator(originalPath))
            cleanedPath += "/";
        return cleanedPath;
    }

    /// <summary>A path that must be a directory: it ends in "/" or "/.".</summary>
    public static bool AssertsDirectory(string path) => HasTrailingSeparator(path) || SpecifiesCurrentDir(path);

    public static bool HasTrailingSeparator(string path) => path.EndsWith('/');

    public static bool SpecifiesCurrentDir(string path) => GoPath.Base(path) == ".";

    /// <summary>SplitPathDirEntry: the parent and the base; "/a/b/." gives ("/a/b", ".").</summary>
    public static (string Dir, string Base) SplitPathDirEntry(string path)
    {
        string cleaned = GoPath.Clean(path);
        if (SpecifiesCurrentDir(path))
            cleaned += "/.";
        return (GoPath.Dir(cleaned), GoPath.Base(cleaned));
    }

    /// <summary>GetRebaseName: the resolved path keeps the "/." or "/" of the given one; the given base becomes the rebase name when they differ.</summary>
    public static (string ResolvedPath, string RebaseName) GetRebaseName(string path, string resolvedPath)
    {
        if (SpecifiesCurrentDir(path) && !SpecifiesCurrentDir(resolvedPath))
            resolvedPath += "/.";
        if (HasTrailingSeparator(path) && !HasTrailingSeparator(resolvedPath))
            resolvedPath += "/";
        return (resolvedPath, GoPath.Base(path) != GoPath.Base(resolvedPath) ? GoPath.Base(path) : "");
    }

    /// <summary>
    /// PrepareArchiveCopy: the directory to extract into and how the archive's top name is renamed (old base, new
    /// base; null when it is extracted as it is). "cannot copy directory" and "no such directory" as moby words them.
    /// </summary>
    public static (string DestinationDir, (string From, string To)? Rebase) PrepareArchiveCopy(CopyInfo source, CopyInfo destination)
    {
        var (destinationDir, destinationBase) = SplitPathDirEntry(destination.Path);
        var (_, sourceBase) = SplitPathDirEntry(source.Path);
        if (source.RebaseName.Length > 0)
            sourceBase = source.RebaseName;
        if (destination.Exists && destination.IsDir)
            return (destination.Path, null);
        if (destination.Exists && source.IsDir)
            throw new CopyException("cannot copy directory");
        if (!destination.Exists && !source.IsDir && AssertsDirectory(destination.Path))
            throw new CopyException("no such directory");
        return (destinationDir, (sourceBase, destinationBase));
    }

    /// <summary>RebaseArchiveEntries' renaming: the first occurrence of the old base replaced ("/" counts as "").</summary>
    public static string Rebase(string name, string from, string to)
    {
        if (from == "/")
            from = "";
        if (from.Length == 0)
            return to + name;
        int index = name.IndexOf(from, StringComparison.Ordinal);
        return index < 0 ? name : name[..index] + to + name[(index + from.Length)..];
    }

    /// <summary>CopyInfoSourcePath: the local source, its parent's symlinks resolved (all of them with -L), and whether it is a directory.</summary>
    public static CopyInfo SourceInfo(string path, bool followLink)
    {
        string resolved;
        string rebaseName = "";
        if (followLink)
        {
            (resolved, rebaseName) = GetRebaseName(path, EvalSymlinks(path));
        }
        else
        {
            var (directory, file) = GoPath.Split(path);
            resolved = EvalSymlinks(directory) + "/" + file;
            if (HasTrailingSeparator(path) && GoPath.Base(path) != GoPath.Base(resolved))
                rebaseName = GoPath.Base(path);
        }
        var status = Lstat(resolved);
        return new CopyInfo(resolved, Exists: true, IsDir: status.IsDirectory, RebaseName: rebaseName);
    }

    /// <summary>CopyInfoDestinationPath: the local destination, through up to 10 symlinks; a missing one needs an existing parent directory.</summary>
    public static CopyInfo DestinationInfo(string path)
    {
        string original = path;
        bool exists = Sys.TryLstat(path, out var status);
        for (int n = 0; exists && status.IsSymlink; n++)
        {
            if (n > 10)
                throw new CopyException("too many symlinks in " + original);
            string target = ReadLink(path);
            if (!GoPath.IsAbs(target))
                target = GoPath.Join(SplitPathDirEntry(path).Dir, target);
            path = target;
            exists = Sys.TryLstat(path, out status);
        }
        if (exists)
            return new CopyInfo(path, Exists: true, IsDir: status.IsDirectory);
        var (parent, _) = SplitPathDirEntry(path);
        if (!Directory.Exists(parent))
        {
            if (File.Exists(parent))
                throw new CopyException("not a directory");
            throw new CopyException($"stat {parent}: no such file or directory");
        }
        return new CopyInfo(path);
    }

    /// <summary>filepath.EvalSymlinks: every symlink on the path resolved; a missing component is "lstat X: no such file or directory".</summary>
    public static string EvalSymlinks(string path)
    {
        if (path.Length == 0)
            return "";
        string resolved = GoPath.IsAbs(path) ? "/" : "";
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        int links = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                resolved = resolved is "" or "." ? ".." : GoPath.Base(resolved) == ".." ? resolved + "/.." : GoPath.Dir(resolved);
                continue;
            }
            string next = resolved.Length == 0 ? part : GoPath.Join(resolved, part);
            var status = Lstat(next);
            if (!status.IsSymlink)
            {
                resolved = next;
                continue;
            }
            if (++links > 255)
                throw new CopyException("EvalSymlinks: too many links");
            string target = ReadLink(next);
            foreach (string element in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                pending.Push(element);
            if (GoPath.IsAbs(target))
                resolved = "/";
        }
        return resolved.Length == 0 ? "." : GoPath.Clean(resolved);
    }

    /// <summary>lstat(2) with Go's error text.</summary>
    public static FileStat Lstat(string path) =>
        Sys.TryLstat(path, out var status) ? status : throw new CopyException($"lstat {path}: no such file or directory");

    private static string ReadLink(string path) =>
        new FileInfo(path).LinkTarget ?? throw new CopyException($"readlink {path}: invalid argument");
}
