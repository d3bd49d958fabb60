using System.Formats.Tar;
using Berth.Common;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Cli.Files;

/// <summary>
/// Extracts a docker cp archive into a local directory as moby/go-archive's Untar does for the CLI (no chown,
/// a directory and a non-directory never replace each other, directory times set last), with the engine's rules
/// that keep everything inside the destination: names go through the engine's <see cref="EntryPath"/> (absolute
/// names and ".." refused), every parent is opened from the destination with openat2 RESOLVE_BENEATH (a symlink on
/// the way may point around inside, never out: the kernel refuses it), every entry is created and changed with *at
/// calls that never follow a last symlink, a symlink whose target climbs out of the destination is refused (moby's
/// "invalid symlink"), and a hard link must point inside. Refusals are worded as moby's breakout errors.
/// </summary>
internal sealed class LocalExtractor : IDisposable
{
    private const uint Mode0755 = 0x1ED;

    /// <summary>openat2 flags: stay below the destination; symlinks are followed only while they do (absolute ones never).</summary>
    private static readonly ulong ResolveBeneath = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

    private readonly SafeFileHandle _root;
    private readonly string _rootPath;
    private readonly List<(string Path, DateTimeOffset Mtime)> _directoryTimes = [];
    private readonly byte[] _buffer = new byte[256 * 1024];

    private LocalExtractor(SafeFileHandle root, string rootPath)
    {
        _root = root;
        _rootPath = rootPath;
    }

    public static LocalExtractor Open(string directory)
    {
        try
        {
            return new LocalExtractor(Sys.OpenDirectoryPath(directory), directory);
        }
        catch (SyscallException e)
        {
            throw new CopyException(e.Message, e);
        }
    }

    /// <param name="rename">PrepareArchiveCopy's rebase of each name (and hard link target), applied before anything else.</param>
    public async Task ExtractAsync(Stream tar, Func<string, string> rename, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await NextAsync(reader, cancellationToken) is { } entry)
        {
            try
            {
                await ApplyAsync(entry, rename(entry.Name), rename, cancellationToken);
            }
            catch (SyscallException e)
            {
                throw new CopyException($"{entry.Name}: {e.Message}", e);
            }
        }
        for (int i = _directoryTimes.Count - 1; i >= 0; i--)
        {
            var (path, mtime) = _directoryTimes[i];
            if (!Sys.TryOpenAt2(_root, path, O_PATH | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var directory, out _))
                continue;
            using (directory)
                Sys.SetTimesAt(directory, ".", mtime);
        }
    }

    public void Dispose() => _root.Dispose();

    private static async Task<TarEntry?> NextAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new CopyException("archive/tar: invalid tar header: " + e.Message, e);
        }
    }

    private async Task ApplyAsync(TarEntry entry, string name, Func<string, string> rename, CancellationToken cancellationToken)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            return;
        if (!EntryPath.TryNormalise(name, out string path, out _))
            throw new CopyException($"\"{name}\" is outside of \"{_rootPath}\"");
        if (path.Length == 0)
            return;
        var (parentPath, leaf) = EntryPath.Split(path);
        using var parent = OpenParent(name, parentPath);
        bool isDirectory = entry.EntryType == TarEntryType.Directory;
        if (Sys.TryStatAt(parent, leaf, out var existing))
        {
            if (existing.IsDirectory && !isDirectory)
                throw new CopyException($"cannot overwrite directory \"{Display(path)}\" with non-directory \"{_rootPath}\"");
            if (!existing.IsDirectory && isDirectory)
                throw new CopyException($"cannot overwrite non-directory \"{Display(path)}\" with directory \"{_rootPath}\"");
            if (!existing.IsDirectory)
                Sys.UnlinkAt(parent, leaf, directory: false);
        }
        uint mode = (uint)entry.Mode & 0xFFF;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Sys.TryMkdirAt(parent, leaf, mode);
                Sys.ChmodAt(parent, leaf, mode);
                _directoryTimes.Add((path, entry.ModificationTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await WriteFileAsync(entry, parent, leaf, mode, cancellationToken);
                break;
            case TarEntryType.SymbolicLink:
                if (!StaysInside(parentPath, entry.LinkName))
                    throw new CopyException($"invalid symlink \"{Display(path)}\" -> \"{entry.LinkName}\"");
                Created(name, Sys.TrySymlinkAt(entry.LinkName, parent, leaf));
                Sys.SetTimesAt(parent, leaf, entry.ModificationTime);
                break;
            case TarEntryType.HardLink:
                MakeHardLink(name, rename(entry.LinkName), parent, leaf);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                uint type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => FileStat.S_IFCHR,
                    TarEntryType.BlockDevice => FileStat.S_IFBLK,
                    _ => FileStat.S_IFIFO,
                };
                ulong device = type != FileStat.S_IFIFO && entry is PosixTarEntry posix ? Sys.MakeDev((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : 0;
                Created(name, Sys.TryMknodAt(parent, leaf, type | mode, device));
                Sys.ChmodAt(parent, leaf, mode);
                Sys.SetTimesAt(parent, leaf, entry.ModificationTime);
                break;
            default:
                throw new CopyException($"unhandled tar header type {(int)entry.EntryType}");
        }
    }

    private async Task WriteFileAsync(TarEntry entry, SafeFileHandle parent, string leaf, uint mode, CancellationToken cancellationToken)
    {
        Created(entry.Name, Sys.TryCreateAt(parent, leaf, 0x180, out var file));
        using (file)
        {
            long offset = 0;
            if (entry.DataStream is { } data)
            {
                int n;
                while ((n = await data.ReadAsync(_buffer, cancellationToken)) > 0)
                {
                    await RandomAccess.WriteAsync(file, _buffer.AsMemory(0, n), offset, cancellationToken);
                    offset += n;
                }
            }
            if (offset != entry.Length)
                throw new CopyException($"{entry.Name}: unexpected EOF");
            Sys.Fchmod(file, mode, entry.Name);
            Sys.Futimens(file, entry.ModificationTime, entry.Name);
        }
    }

    private void MakeHardLink(string name, string linkName, SafeFileHandle parent, string leaf)
    {
        var refused = new CopyException($"invalid hardlink \"{GoPath.Join(_rootPath, linkName)}\" -> \"{linkName}\"");
        if (!EntryPath.TryNormalise(linkName, out string target, out _) || target.Length == 0)
            throw refused;
        var (targetParentPath, targetName) = EntryPath.Split(target);
        if (!Sys.TryOpenAt2(_root, targetParentPath, O_PATH | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var targetParent, out _))
            throw refused;
        using (targetParent)
        {
            if (!Sys.TryStatAt(targetParent, targetName, out var status) || status.IsDirectory)
                throw refused;
            Created(name, Sys.TryLinkAt(targetParent, targetName, parent, leaf));
        }
    }

    /// <summary>
    /// The parent directory of an entry, opened beneath the destination (missing directories are made 0755, as
    /// moby's MkdirAll). A symlink may lead there only if it stays inside; a non-directory on the way is an error.
    /// </summary>
    private SafeFileHandle OpenParent(string name, string parentPath)
    {
        if (Sys.TryOpenAt2(_root, parentPath, O_PATH | O_DIRECTORY, ResolveBeneath, out var parent, out int errno))
            return parent;
        if (errno != Errno.ENOENT)
            throw ParentProblem(name, parentPath, errno);
        var current = Sys.OpenAt2(_root, ".", O_PATH | O_DIRECTORY, ResolveBeneath);
        string walked = "";
        foreach (string component in parentPath.Split('/'))
        {
            walked = EntryPath.Join(walked, component);
            using var previous = current;
            if (!Sys.TryOpenAt2(_root, walked, O_PATH | O_DIRECTORY, ResolveBeneath, out current, out errno))
            {
                if (errno != Errno.ENOENT)
                    throw ParentProblem(name, walked, errno);
                Sys.TryMkdirAt(previous, component, Mode0755);
                if (!Sys.TryOpenAt2(_root, walked, O_PATH | O_DIRECTORY, ResolveBeneath, out current, out errno))
                    throw ParentProblem(name, walked, errno);
            }
        }
        return current;
    }

    /// <summary>Whether a symlink in <paramref name="parentPath"/> pointing at <paramref name="target"/> stays inside, read as moby does (lexically, an absolute target below the destination).</summary>
    internal static bool StaysInside(string parentPath, string target)
    {
        if (target.StartsWith('/'))
            return true;
        int depth = parentPath.Length == 0 ? 0 : parentPath.Split('/').Length;
        foreach (string part in target.Split('/'))
        {
            if (part == "..")
            {
                if (--depth < 0)
                    return false;
            }
            else if (part.Length > 0 && part != ".")
            {
                depth++;
            }
        }
        return true;
    }

    private string Display(string path) => GoPath.Join(_rootPath, path);

    private Exception ParentProblem(string name, string path, int errno) => errno switch
    {
        Errno.EXDEV or Errno.ELOOP => new CopyException($"\"{name}\" would be written through symlink \"{Display(path)}\", which leads outside of \"{_rootPath}\""),
        Errno.ENOTDIR => new CopyException($"\"{name}\": \"{path}\" is not a directory"),
        _ => new SyscallException($"openat2 `{path}`", errno),
    };

    private static void Created(string name, bool created)
    {
        if (!created)
            throw new CopyException($"{name}: its path reappeared while it was being replaced");
    }
}
