using System.Formats.Tar;
using System.Text;
using Berth.Common;
using Berth.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Images;

/// <summary>
/// Applies one layer tar to a private directory (the layer's future overlay lowerdir).
/// <para>
/// Entries are read with System.Formats.Tar rather than SharpCompress: its TarReader keeps the entry
/// types layers use (hardlinks, character and block devices, fifos) and the PAX records that carry
/// xattrs (<c>SCHILY.xattr.*</c>), all of which SharpCompress's tar reader loses.
/// </para>
/// <para>
/// Layers are applied, not just extracted (image-spec layer.md): an entry over an existing path replaces
/// it, except that a directory over a directory keeps it and updates its attributes. Whiteouts are
/// translated for overlayfs as containerd's OverlayConvertWhiteout does. Safety: names with ".." or a
/// leading "/" are refused, every parent component must be a real directory (never a symlink), a final
/// component is never followed, and hardlink targets must be inside the layer. The directory is private
/// while it is unpacked, so lstat checks cannot race with anyone.
/// </para>
/// </summary>
internal sealed class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string WhiteoutMetaPrefix = ".wh..wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string OpaqueXattr = "trusted.overlay.opaque";
    private const string SchilyXattr = "SCHILY.xattr.";
    private const string LibarchiveXattr = "LIBARCHIVE.xattr.";
    private const uint Mode0600 = 0x180;
    private const uint Mode0700 = 0x1C0;
    private const uint Mode0755 = 0x1ED;

    private readonly string _root;
    private readonly string _layer;
    private readonly ILogger _logger;
    private readonly UnpackedSizeBudget? _budget;
    private readonly bool _setOwners = Sys.Geteuid() == 0;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "" };
    private readonly List<DeferredDirectory?> _deferred = [];
    private readonly Dictionary<string, int> _deferredIndex = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[1 << 20];

    /// <param name="root">An existing empty directory nobody else writes to.</param>
    /// <param name="layerName">The layer's name in the archive, for error messages.</param>
    /// <param name="budget">Shared by the layers of one load; null for no limit.</param>
    public LayerUnpacker(string root, string layerName, ILogger logger, UnpackedSizeBudget? budget = null)
    {
        _budget = budget;
        _root = root.TrimEnd('/');
        _layer = layerName;
        _logger = logger;
    }

    /// <summary>Applies every entry of <paramref name="tar"/>; returns the bytes of regular file content.</summary>
    public long Unpack(Stream tar, CancellationToken ct)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        long size = 0;
        while (reader.GetNextEntry() is { } entry)
        {
            ct.ThrowIfCancellationRequested();
            _budget?.Spend(entry.Length, _layer);
            try
            {
                size += Apply(entry);
            }
            catch (SyscallException e)
            {
                throw new IOException($"layer `{_layer}`: entry `{entry.Name}`: {e.Message}", e);
            }
        }
        ApplyDirectoryAttributes();
        return size;
    }

    private long Apply(TarEntry entry)
    {
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            return 0;
        if (!EntryPath.TryNormalise(entry.Name, out string path, out string? problem))
            throw Fail(entry, problem);
        var (parent, name) = EntryPath.Split(path);
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal) || IsAufsMetadata(path))
        {
            ApplyWhiteout(entry, path, parent, name);
            return 0;
        }
        if (path.Length == 0)
        {
            ApplyRoot(entry);
            return 0;
        }
        CheckParents(entry, parent, create: true);
        string full = Full(path);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                MakeDirectory(entry, path, full);
                return 0;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                return WriteFile(entry, path, full);
            case TarEntryType.SymbolicLink:
                MakeSymlink(entry, path, full);
                return 0;
            case TarEntryType.HardLink:
                MakeHardLink(entry, path, full);
                return 0;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                MakeNode(entry, path, full);
                return 0;
            default:
                throw Fail(entry, $"has unsupported entry type {entry.EntryType}");
        }
    }

    /// <summary>
    /// <c>.wh.X</c> hides X of lower layers: overlayfs wants a 0:0 character device named X, owned as the
    /// header says. <c>.wh..wh..opq</c> hides all lower children of its directory: overlayfs wants the xattr
    /// trusted.overlay.opaque=y on it. Opaqueness only concerns lower layers, so setting it whenever the
    /// marker comes keeps the rule that it applies before this layer's other entries in that directory.
    /// </summary>
    private void ApplyWhiteout(TarEntry entry, string path, string parent, string name)
    {
        if (name == OpaqueMarker)
        {
            CheckParents(entry, parent, create: true);
            Sys.SetXattr(Full(parent), OpaqueXattr, "y"u8);
            return;
        }
        if (IsAufsMetadata(path) || name.StartsWith(WhiteoutMetaPrefix, StringComparison.Ordinal))
        {
            // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs) from very old layers; Docker skips it too.
            _logger.LogDebug("Layer {Layer}: skipping AUFS metadata entry {Entry}", _layer, entry.Name);
            return;
        }
        string hidden = name[WhiteoutPrefix.Length..];
        if (hidden is "" or "." or "..")
            throw Fail(entry, "is a whiteout that names no file");
        CheckParents(entry, parent, create: true);
        string target = EntryPath.Join(parent, hidden);
        string full = Full(target);
        CreateOrReplace(target, full, () => Sys.TryMknod(full, Sys.S_IFCHR, 0));
        if (_setOwners)
            Sys.Lchown(full, entry.Uid, entry.Gid);
    }

    private static bool IsAufsMetadata(string path)
    {
        int slash = path.IndexOf('/');
        string first = slash < 0 ? path : path[..slash];
        return first.StartsWith(WhiteoutMetaPrefix, StringComparison.Ordinal) && first != OpaqueMarker;
    }

    /// <summary>An entry for "./" carries the attributes of the layer root itself.</summary>
    private void ApplyRoot(TarEntry entry)
    {
        if (entry.EntryType != TarEntryType.Directory)
            throw Fail(entry, "names the layer root but is not a directory");
        if (_setOwners)
            Sys.Lchown(_root, entry.Uid, entry.Gid);
        ApplyXattrs(entry, _root);
        Defer("", entry);
    }

    private void MakeDirectory(TarEntry entry, string path, string full)
    {
        if (!Sys.TryMkdir(full, Mode0700) && !Sys.Lstat(full).IsDirectory)
            CreateOrReplace(path, full, () => Sys.TryMkdir(full, Mode0700));
        _directories.Add(path);
        if (_setOwners)
            Sys.Lchown(full, entry.Uid, entry.Gid);
        ApplyXattrs(entry, full);
        Defer(path, entry);
    }

    private long WriteFile(TarEntry entry, string path, string full)
    {
        SafeFileHandle? handle = null;
        CreateOrReplace(path, full, () =>
        {
            bool created = Sys.TryCreateExclusive(full, Mode0600, out var h);
            handle = created ? h : null;
            return created;
        });
        using (handle!)
        {
            CopyData(entry, handle!);
            if (_setOwners)
                Sys.Fchown(handle!, (uint)entry.Uid, (uint)entry.Gid, full);
            // chmod after chown: chown clears setuid and setgid.
            Sys.Fchmod(handle!, ModeOf(entry), full);
            ApplyXattrs(entry, full);
            Sys.Futimens(handle!, entry.ModificationTime, full);
        }
        return entry.Length;
    }

    private void CopyData(TarEntry entry, SafeFileHandle handle)
    {
        long offset = 0;
        if (entry.DataStream is { } data)
        {
            int n;
            while ((n = data.Read(_buffer)) > 0)
            {
                RandomAccess.Write(handle, _buffer.AsSpan(0, n), offset);
                offset += n;
            }
        }
        if (offset != entry.Length)
            throw Fail(entry, $"is truncated: {offset} of {entry.Length} bytes");
    }

    private void MakeSymlink(TarEntry entry, string path, string full)
    {
        if (string.IsNullOrEmpty(entry.LinkName))
            throw Fail(entry, "is a symlink without a target");
        // The target is stored as is and never followed here; it is resolved inside the container.
        CreateOrReplace(path, full, () => Sys.TrySymlink(entry.LinkName, full));
        if (_setOwners)
            Sys.Lchown(full, entry.Uid, entry.Gid);
        ApplyXattrs(entry, full);
        Sys.SetTimesNoFollow(full, entry.ModificationTime);
    }

    private void MakeHardLink(TarEntry entry, string path, string full)
    {
        if (!EntryPath.TryNormalise(entry.LinkName, out string target, out string? problem))
            throw Fail(entry, $"is a hardlink to `{entry.LinkName}`, which {problem}");
        if (target.Length == 0)
            throw Fail(entry, "is a hardlink to the layer root");
        CheckParents(entry, EntryPath.Split(target).Parent, create: false);
        string targetFull = Full(target);
        if (!Sys.TryLstat(targetFull, out var status))
            throw Fail(entry, $"is a hardlink to `{entry.LinkName}`, which is not in the layer");
        if (status.IsDirectory)
            throw Fail(entry, $"is a hardlink to directory `{entry.LinkName}`");
        if (target == path)
            return;
        // linkat without AT_SYMLINK_FOLLOW: a target that is a symlink is linked itself, never followed.
        CreateOrReplace(path, full, () => Sys.TryLink(targetFull, full));
    }

    private void MakeNode(TarEntry entry, string path, string full)
    {
        uint type = entry.EntryType switch
        {
            TarEntryType.CharacterDevice => Sys.S_IFCHR,
            TarEntryType.BlockDevice => Sys.S_IFBLK,
            _ => Sys.S_IFIFO,
        };
        ulong device = type != Sys.S_IFIFO && entry is PosixTarEntry posix ? Sys.MakeDev((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : 0;
        CreateOrReplace(path, full, () => Sys.TryMknod(full, type | Mode0600, device));
        if (_setOwners)
            Sys.Lchown(full, entry.Uid, entry.Gid);
        // The node was just created here, so chmod (which follows symlinks) cannot be redirected.
        Sys.Chmod(full, ModeOf(entry));
        ApplyXattrs(entry, full);
        Sys.SetTimesNoFollow(full, entry.ModificationTime);
    }

    /// <summary>Runs <paramref name="create"/>; when the path exists (from an earlier entry), removes it and tries once more.</summary>
    private void CreateOrReplace(string path, string full, Func<bool> create)
    {
        if (create())
            return;
        if (Sys.Lstat(full).IsDirectory)
        {
            // Recursive delete unlinks symlinks inside rather than following them.
            Directory.Delete(full, recursive: true);
            Forget(path);
        }
        else
        {
            Sys.Unlink(full);
        }
        if (!create())
            throw new IOException($"layer `{_layer}`: `{path}` reappeared while it was being replaced");
    }

    /// <summary>
    /// Makes sure every component of <paramref name="parent"/> is a real directory inside the root:
    /// a symlink there could redirect the write outside, so it is an error, never followed.
    /// Missing components are created (0755, root-owned, as tar does) when <paramref name="create"/> is set.
    /// </summary>
    private void CheckParents(TarEntry entry, string parent, bool create)
    {
        if (_directories.Contains(parent))
            return;
        string current = "";
        foreach (string component in parent.Split('/'))
        {
            current = EntryPath.Join(current, component);
            if (_directories.Contains(current))
                continue;
            string full = Full(current);
            if (Sys.TryLstat(full, out var status))
            {
                if (status.IsSymlink)
                    throw Fail(entry, create ? $"would be written through symlink `{current}`" : $"is a hardlink to `{entry.LinkName}` through symlink `{current}`");
                if (!status.IsDirectory)
                    throw Fail(entry, $"has parent `{current}`, which is not a directory");
            }
            else if (create)
            {
                Sys.TryMkdir(full, Mode0755);
                Sys.Chmod(full, Mode0755);
            }
            else
            {
                throw Fail(entry, $"is a hardlink to `{entry.LinkName}`, which is not in the layer");
            }
            _directories.Add(current);
        }
    }

    /// <summary>Drops a removed directory and everything below it from the caches.</summary>
    private void Forget(string path)
    {
        string prefix = path + "/";
        _directories.RemoveWhere(d => d == path || d.StartsWith(prefix, StringComparison.Ordinal));
        foreach (string key in _deferredIndex.Keys.Where(d => d == path || d.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _deferred[_deferredIndex[key]] = null;
            _deferredIndex.Remove(key);
        }
    }

    /// <summary>A directory's mode and mtime are set at the end: adding entries changes its mtime, and a read-only mode would get in the way.</summary>
    private void Defer(string path, TarEntry entry)
    {
        var deferred = new DeferredDirectory(path, ModeOf(entry), entry.ModificationTime);
        if (_deferredIndex.TryGetValue(path, out int index))
        {
            _deferred[index] = deferred;
            return;
        }
        _deferredIndex[path] = _deferred.Count;
        _deferred.Add(deferred);
    }

    /// <summary>Deepest-last entries first, so parents are finished after their children.</summary>
    private void ApplyDirectoryAttributes()
    {
        using var root = Sys.OpenDirectoryPath(_root);
        for (int i = _deferred.Count - 1; i >= 0; i--)
        {
            if (_deferred[i] is not { } d)
                continue;
            string full = Full(d.Path);
            using var handle = Sys.OpenDirectoryBeneath(root, d.Path, full);
            Sys.Fchmod(handle, d.Mode, full);
            Sys.Futimens(handle, d.Mtime, full);
        }
    }

    private void ApplyXattrs(TarEntry entry, string full)
    {
        if (entry is not PaxTarEntry pax)
            return;
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (!TryDecodeXattr(entry, key, value, out string? name, out byte[]? data))
                continue;
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal))
            {
                // Only whiteouts may produce overlay xattrs: a raw one could hide or redirect other layers' files.
                _logger.LogWarning("Layer {Layer}: entry {Entry}: ignoring xattr {Name}", _layer, entry.Name, name);
                continue;
            }
            try
            {
                Sys.SetXattr(full, name, data);
            }
            catch (SyscallException e) when (e.Errno is Errno.EPERM or Errno.EOPNOTSUPP)
            {
                // As moby does: not every filesystem or namespace takes every xattr.
                _logger.LogWarning("Layer {Layer}: entry {Entry}: {Message}", _layer, entry.Name, e.Message);
            }
        }
    }

    private bool TryDecodeXattr(TarEntry entry, string key, string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? data)
    {
        name = null;
        data = null;
        if (key.StartsWith(SchilyXattr, StringComparison.Ordinal))
        {
            // System.Formats.Tar decodes PAX values as UTF-8, so a binary value that is not valid UTF-8
            // comes back with U+FFFD in it and cannot be recovered: skip it rather than write garbage.
            if (value.Contains('\uFFFD'))
            {
                _logger.LogWarning("Layer {Layer}: entry {Entry}: xattr {Name} has a binary value that cannot be read; skipped", _layer, entry.Name, key[SchilyXattr.Length..]);
                return false;
            }
            (name, data) = (key[SchilyXattr.Length..], Encoding.UTF8.GetBytes(value));
            return name.Length > 0;
        }
        if (key.StartsWith(LibarchiveXattr, StringComparison.Ordinal))
        {
            // bsdtar: URL-encoded name, base64 value (often without padding).
            string base64 = value.PadRight(value.Length + (4 - value.Length % 4) % 4, '=');
            try
            {
                (name, data) = (Uri.UnescapeDataString(key[LibarchiveXattr.Length..]), Convert.FromBase64String(base64));
                return name.Length > 0;
            }
            catch (FormatException)
            {
                _logger.LogWarning("Layer {Layer}: entry {Entry}: xattr record {Key} is not base64; skipped", _layer, entry.Name, key);
            }
        }
        return false;
    }

    private static uint ModeOf(TarEntry entry) => (uint)entry.Mode & 0xFFF;

    private string Full(string path) => path.Length == 0 ? _root : _root + "/" + path;

    private ImageFormatException Fail(TarEntry entry, string problem) => new($"layer `{_layer}`: entry `{entry.Name}` {problem}");

    private readonly record struct DeferredDirectory(string Path, uint Mode, DateTimeOffset Mtime);
}
