using System.Formats.Tar;
using Berth.Common;
using Berth.Engine.Images;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using SharpCompress.Common;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Archive;

/// <summary>
/// Extracts a docker cp tar into a directory of a container, as moby's archive.Unpack does: an entry over an
/// existing path replaces it (a directory over a directory keeps it and takes the new attributes), with
/// <c>noOverwriteDirNonDir</c> a directory and a non-directory never replace each other, owners come from the
/// headers, the "." entry is skipped, and directory mtimes are set last.
/// <para>
/// The safety rules are those of layer extraction (<see cref="LayerUnpacker"/>), made to hold against a container
/// that changes its files meanwhile: names are normalised by <see cref="EntryPath"/> (absolute and ".." refused),
/// every parent is opened from the destination with openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS (a symlink on the
/// way is an error, never followed; moby would follow it inside the container), and every file is created, changed
/// and removed with *at calls on those handles that never follow a last symlink. Symlink targets are stored as they
/// are: they are resolved inside the container. Hardlink targets must be inside the destination.
/// </para>
/// </summary>
internal sealed class ArchiveExtractor(SafeFileHandle destination, bool noOverwriteDirNonDir)
{
    private const uint Mode0600 = 0x180;
    private const uint Mode0700 = 0x1C0;
    private const uint Mode0755 = 0x1ED;

    private readonly List<(string Path, DateTimeOffset Mtime)> _directoryTimes = [];
    private readonly byte[] _buffer = new byte[1 << 20];

    public async Task ExtractAsync(Stream tar, CancellationToken ct)
    {
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await NextAsync(reader, ct) is { } entry)
        {
            try
            {
                await ApplyAsync(entry, ct);
            }
            catch (SyscallException e)
            {
                throw new IOException($"entry `{entry.Name}`: {e.Message}", e);
            }
            catch (Exception e) when (IsBadArchive(e))
            {
                throw new InvalidParameterException($"the archive is not a valid tar, or is truncated, at entry `{entry.Name}`: {e.Message}", e);
            }
        }
        // Last, because creating entries in a directory changes its mtime; one a later entry replaced is skipped.
        for (int i = _directoryTimes.Count - 1; i >= 0; i--)
        {
            var (path, mtime) = _directoryTimes[i];
            if (!Sys.TryOpenAt2(destination, path, O_PATH | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var directory, out _))
                continue;
            using (directory)
                Sys.SetTimesAt(directory, ".", mtime);
        }
    }

    private static async Task<TarEntry?> NextAsync(TarReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, ct);
        }
        catch (Exception e) when (IsBadArchive(e))
        {
            throw new InvalidParameterException($"the archive is not a valid tar, or is truncated: {e.Message}", e);
        }
    }

    /// <summary>What TarReader, GZipStream and SharpCompress's zstd throw on a corrupt or short stream.</summary>
    private static bool IsBadArchive(Exception e) => e is InvalidDataException or FormatException or EndOfStreamException or SharpCompressException;

    private async Task ApplyAsync(TarEntry entry, CancellationToken ct)
    {
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            return;
        // An absolute name lands under the target, as moby's Unpack joins every name to its destination: clients
        // send them (Testcontainers for .NET names every file it copies in "/path/in/container"). openat2 with
        // RESOLVE_BENEATH still keeps every entry inside.
        if (!EntryPath.TryNormalise(entry.Name.TrimStart('/'), out string path, out string? problem))
            throw Fail(entry, problem);
        if (path.Length == 0)
            return;
        var (parentPath, name) = EntryPath.Split(path);
        using var parent = OpenParent(entry, parentPath);
        RemoveWhatIsInTheWay(entry, parent, name);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                MakeDirectory(entry, parent, name, path);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await WriteFileAsync(entry, parent, name, ct);
                break;
            case TarEntryType.SymbolicLink:
                if (string.IsNullOrEmpty(entry.LinkName))
                    throw Fail(entry, "is a symlink without a target");
                Created(entry, Sys.TrySymlinkAt(entry.LinkName, parent, name));
                SetAttributes(entry, parent, name, chmod: false);
                break;
            case TarEntryType.HardLink:
                MakeHardLink(entry, parent, name);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                MakeNode(entry, parent, name);
                break;
            default:
                throw Fail(entry, $"has unsupported entry type {entry.EntryType}");
        }
    }

    /// <summary>Removes what is in the way of the entry, as moby does: everything unless both are directories.</summary>
    private void RemoveWhatIsInTheWay(TarEntry entry, SafeFileHandle parent, string name)
    {
        if (!Sys.TryStatAt(parent, name, out var existing))
            return;
        bool isDirectory = entry.EntryType == TarEntryType.Directory;
        if (noOverwriteDirNonDir && existing.IsDirectory && !isDirectory)
            throw new InvalidParameterException($"cannot overwrite directory \"{entry.Name}\" with non-directory");
        if (noOverwriteDirNonDir && !existing.IsDirectory && isDirectory)
            throw new InvalidParameterException($"cannot overwrite non-directory \"{entry.Name}\" with directory");
        if (!(existing.IsDirectory && isDirectory))
            Remove(parent, name, existing);
    }

    private void MakeDirectory(TarEntry entry, SafeFileHandle parent, string name, string path)
    {
        Sys.TryMkdirAt(parent, name, Mode0700);
        using var directory = OpenChildDirectory(entry, parent, name);
        SetOwner(entry, directory, ".");
        Sys.ChmodAt(directory, ".", ModeOf(entry));
        _directoryTimes.Add((path, entry.ModificationTime));
    }

    private async Task WriteFileAsync(TarEntry entry, SafeFileHandle parent, string name, CancellationToken ct)
    {
        Created(entry, Sys.TryCreateAt(parent, name, Mode0600, out var file));
        using (file)
        {
            long offset = 0;
            if (entry.DataStream is { } data)
            {
                int n;
                while ((n = await data.ReadAsync(_buffer, ct)) > 0)
                {
                    await RandomAccess.WriteAsync(file, _buffer.AsMemory(0, n), offset, ct);
                    offset += n;
                }
            }
            if (offset != entry.Length)
                throw Fail(entry, $"is truncated: {offset} of {entry.Length} bytes");
            SetOwner(entry, file, "");
            // chmod after chown: chown clears setuid and setgid.
            Sys.Fchmod(file, ModeOf(entry), entry.Name);
            Sys.Futimens(file, entry.ModificationTime, entry.Name);
        }
    }

    private void MakeHardLink(TarEntry entry, SafeFileHandle parent, string name)
    {
        if (!EntryPath.TryNormalise(entry.LinkName, out string target, out string? problem))
            throw Fail(entry, $"is a hardlink to `{entry.LinkName}`, which {problem}");
        if (target.Length == 0)
            throw Fail(entry, "is a hardlink to the extraction directory");
        var (targetParentPath, targetName) = EntryPath.Split(target);
        if (!Sys.TryOpenAt2(destination, targetParentPath, O_PATH | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var targetParent, out _))
            throw Fail(entry, $"is a hardlink to `{entry.LinkName}`, which is not in the extraction directory");
        using (targetParent)
        {
            if (!Sys.TryStatAt(targetParent, targetName, out var status))
                throw Fail(entry, $"is a hardlink to `{entry.LinkName}`, which is not in the extraction directory");
            if (status.IsDirectory)
                throw Fail(entry, $"is a hardlink to directory `{entry.LinkName}`");
            Created(entry, Sys.TryLinkAt(targetParent, targetName, parent, name));
        }
    }

    private void MakeNode(TarEntry entry, SafeFileHandle parent, string name)
    {
        uint type = entry.EntryType switch
        {
            TarEntryType.CharacterDevice => FileStat.S_IFCHR,
            TarEntryType.BlockDevice => FileStat.S_IFBLK,
            _ => FileStat.S_IFIFO,
        };
        ulong device = type != FileStat.S_IFIFO && entry is PosixTarEntry posix ? Sys.MakeDev((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : 0;
        Created(entry, Sys.TryMknodAt(parent, name, type | Mode0600, device));
        SetAttributes(entry, parent, name, chmod: true);
    }

    /// <summary>Owner, mode (not of a symlink) and times of a just created entry, by name and never through a symlink.</summary>
    private static void SetAttributes(TarEntry entry, SafeFileHandle parent, string name, bool chmod)
    {
        SetOwner(entry, parent, name);
        if (chmod)
            Sys.ChmodAt(parent, name, ModeOf(entry));
        Sys.SetTimesAt(parent, name, entry.ModificationTime);
    }

    private static void SetOwner(TarEntry entry, SafeFileHandle directory, string name)
    {
        if (name.Length == 0)
            Sys.Fchown(directory, (uint)entry.Uid, (uint)entry.Gid, entry.Name);
        else
            Sys.ChownAt(directory, name, (uint)entry.Uid, (uint)entry.Gid);
    }

    /// <summary>
    /// Opens the entry's parent below the destination. Missing directories are created (0755, root, as moby's
    /// createImpliedDirectories does); a symlink or a non-directory on the way is an error.
    /// </summary>
    private SafeFileHandle OpenParent(TarEntry entry, string parentPath)
    {
        if (Sys.TryOpenAt2(destination, parentPath, O_PATH | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var parent, out int errno))
            return CheckParent(entry, parent, parentPath);
        if (errno != Errno.ENOENT)
            throw ParentProblem(entry, parentPath, errno);
        var current = Sys.OpenAt2(destination, ".", O_PATH | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks);
        string walked = "";
        foreach (string component in parentPath.Split('/'))
        {
            walked = EntryPath.Join(walked, component);
            using var previous = current;
            bool created = Sys.TryMkdirAt(previous, component, Mode0755);
            current = OpenChildDirectory(entry, previous, component, walked);
            if (created)
                Sys.ChmodAt(current, ".", Mode0755);
        }
        return CheckParent(entry, current, parentPath);
    }

    /// <summary>A running container's /proc or /sys below the destination is not written to (Docker's view does not have them).</summary>
    private static SafeFileHandle CheckParent(TarEntry entry, SafeFileHandle parent, string parentPath)
    {
        if (!FilesystemView.IsKernelFilesystem(parent))
            return parent;
        parent.Dispose();
        throw Fail(entry, $"would be written into `{parentPath}`, a kernel filesystem of the container");
    }

    private static SafeFileHandle OpenChildDirectory(TarEntry entry, SafeFileHandle parent, string name, string? path = null)
    {
        if (Sys.TryOpenAt2(parent, name, O_PATH | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var child, out int errno))
            return child;
        throw ParentProblem(entry, path ?? entry.Name, errno);
    }

    private static Exception ParentProblem(TarEntry entry, string path, int errno) => errno switch
    {
        Errno.ELOOP => Fail(entry, $"would be written through symlink `{path}`"),
        Errno.ENOTDIR => Fail(entry, $"has parent `{path}`, which is not a directory"),
        _ => new SyscallException($"openat2 `{path}`", errno),
    };

    /// <summary>
    /// Removes a file, or a directory with everything in it, without following any symlink (moby: os.RemoveAll).
    /// Unlike RemoveAll it stops at a mount point: what a bind mount shows of the host is not emptied.
    /// </summary>
    private static void Remove(SafeFileHandle parent, string name, FileStat status)
    {
        if (status.IsMountRoot)
            throw new InvalidParameterException($"cannot replace `{name}`: it is a mount point");
        if (status.IsDirectory)
        {
            if (Sys.TryOpenAt2(parent, name, O_RDONLY | O_DIRECTORY, Sys.ResolveBeneathNoSymlinks, out var directory, out _))
            {
                using (directory)
                {
                    foreach (string child in Sys.ReadDirectory(directory))
                    {
                        if (Sys.TryStatAt(directory, child, out var childStatus))
                            Remove(directory, child, childStatus);
                    }
                }
            }
        }
        Sys.UnlinkAt(parent, name, status.IsDirectory);
    }

    /// <summary>The Try*At calls return false when the name exists: it was just removed, so someone else created it.</summary>
    private static void Created(TarEntry entry, bool created)
    {
        if (!created)
            throw new IOException($"entry `{entry.Name}`: its path reappeared while it was being replaced");
    }

    private static uint ModeOf(TarEntry entry) => (uint)entry.Mode & 0xFFF;

    private static InvalidParameterException Fail(TarEntry entry, string problem) => new($"archive entry `{entry.Name}` {problem}");
}
