using Berth.Interop;

namespace Berth.Engine.Images;

/// <summary>
/// Unpacked layers keyed by ChainID: <c>layers/&lt;chainid hex&gt;/diff/</c> (an overlay lowerdir) and
/// <c>layer.json</c>. A layer appears by one rename(2) of a complete temp directory, so a layer directory
/// that exists is whole; a rename that finds the layer already there lost a race and is discarded.
/// </summary>
internal sealed class LayerStore
{
    public const string DiffDirectoryName = "diff";
    private const string RecordName = "layer.json";

    public LayerStore(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string DirectoryOf(string chainId) => Path.Combine(Directory, Digest.Hex(chainId, "layer"));

    public string DiffOf(string chainId) => Path.Combine(DirectoryOf(chainId), DiffDirectoryName);

    public bool Exists(string chainId) => System.IO.Directory.Exists(DirectoryOf(chainId));

    public LayerRecord? ReadRecord(string chainId)
    {
        string path = Path.Combine(DirectoryOf(chainId), RecordName);
        return File.Exists(path) ? ImageJsonContext.Parse(File.ReadAllBytes(path), ImageJsonContext.Default.LayerRecord, path) : null;
    }

    /// <summary>Moves a staged layer directory into place; false when the layer was already there (the staged one is deleted).</summary>
    public bool Commit(string stagedDirectory, LayerRecord record, StagingArea staging)
    {
        AtomicFile.WriteJson(Path.Combine(stagedDirectory, RecordName), record, ImageJsonContext.Default.LayerRecord);
        bool moved = Sys.TryRenameNoReplace(stagedDirectory, DirectoryOf(record.ChainId));
        if (moved)
            staging.Release(stagedDirectory);
        else
            staging.Delete(stagedDirectory);
        return moved;
    }

    /// <summary>Renames the layer out of sight first, so that a crash mid-delete leaves only a `.tmp-` directory.</summary>
    public void Delete(string chainId)
    {
        string doomed = Path.Combine(Directory, $"{AtomicFile.TempPrefix}deleted-{Guid.NewGuid():N}");
        Sys.Rename(DirectoryOf(chainId), doomed);
        StagingArea.TryDeletePath(doomed);
    }
}
