using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Images;

/// <summary>
/// The temporary blob files and layer directories of one load, inside the store (so that committing is
/// a rename on the same filesystem) under `.tmp-` names that a store opening after a crash deletes.
/// Whatever was not committed (released) is deleted on Dispose, so a failed load leaves nothing behind.
/// Thread-safe: a pull stages several layers at once.
/// </summary>
internal sealed class StagingArea : IDisposable
{
    private const uint Mode0700 = 0x1C0;
    private const uint Mode0755 = 0x1ED;
    private readonly string _blobDirectory;
    private readonly string _layerDirectory;
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

    public StagingArea(string blobDirectory, string layerDirectory, long? maxUnpackedSize = null)
    {
        UnpackedSize = new UnpackedSizeBudget(maxUnpackedSize);
        _blobDirectory = blobDirectory;
        _layerDirectory = layerDirectory;
    }

    /// <summary>What the layers unpacked into this area's directories may hold in all.</summary>
    public UnpackedSizeBudget UnpackedSize { get; }

    public (string Path, SafeFileHandle Handle) CreateBlobFile()
    {
        string path = Path.Combine(_blobDirectory, AtomicFile.TempPrefix + Guid.NewGuid().ToString("N"));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        lock (_paths)
            _paths.Add(path);
        return (path, handle);
    }

    /// <summary>A new private directory with an empty <c>diff/</c> inside, the future layer directory.</summary>
    public string CreateLayerDirectory()
    {
        string path = Path.Combine(_layerDirectory, AtomicFile.TempPrefix + Guid.NewGuid().ToString("N"));
        if (!Sys.TryMkdir(path, Mode0700))
            throw new IOException($"staging directory `{path}` already exists");
        lock (_paths)
            _paths.Add(path);
        string diff = Path.Combine(path, LayerStore.DiffDirectoryName);
        Sys.TryMkdir(diff, Mode0755);
        Sys.Chmod(diff, Mode0755);
        return path;
    }

    /// <summary>The path was moved into the store: it is no longer ours to delete.</summary>
    public void Release(string path)
    {
        lock (_paths)
            _paths.Remove(path);
    }

    public void Delete(string path)
    {
        bool ours;
        lock (_paths)
            ours = _paths.Remove(path);
        if (ours)
            DeletePath(path);
    }

    /// <summary>
    /// Deletes what was not committed. It runs while an error unwinds, so a failure here must not hide
    /// that error: whatever cannot be deleted now keeps its `.tmp-` name and goes when the store next opens.
    /// </summary>
    public void Dispose()
    {
        lock (_paths)
        {
            foreach (string path in _paths)
                TryDeletePath(path);
            _paths.Clear();
        }
    }

    internal static void TryDeletePath(string path)
    {
        try
        {
            DeletePath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next open of the store.
        }
    }

    /// <summary>Recursive delete unlinks symlinks in the tree instead of following them.</summary>
    internal static void DeletePath(string path)
    {
        if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            Directory.Delete(path, recursive: true);
        else
            File.Delete(path);
    }
}
