using Berth.Interop;

namespace Berth.Engine.Images;

/// <summary>Verified blobs (configs, manifests, layer blobs as they came), content-addressed: <c>blobs/sha256/&lt;hex&gt;</c>.</summary>
internal sealed class BlobStore
{
    public BlobStore(string directory)
    {
        Directory = directory;
    }

    /// <summary>blobs/sha256: staged blobs live here too, under `.tmp-` names.</summary>
    public string Directory { get; }

    public string PathOf(string digest) => System.IO.Path.Combine(Directory, Digest.Hex(digest, "blob"));

    public bool Exists(string digest) => File.Exists(PathOf(digest));

    public byte[] Read(string digest) => File.ReadAllBytes(PathOf(digest));

    /// <summary>Stores a small blob (config, manifest) atomically, unless it is already there.</summary>
    public void Write(string digest, byte[] data)
    {
        if (!Exists(digest))
            AtomicFile.Write(PathOf(digest), data);
    }

    /// <summary>Moves a staged blob file into place; an identical blob already there wins and the staged one is dropped.</summary>
    public void Commit(StagedLayer layer, StagingArea staging)
    {
        if (layer.Committed)
            return;
        string target = PathOf(layer.Digest);
        if (Exists(layer.Digest))
        {
            staging.Delete(layer.BlobPath);
        }
        else
        {
            Sys.Rename(layer.BlobPath, target);
            staging.Release(layer.BlobPath);
        }
        layer.BlobPath = target;
        layer.Committed = true;
    }

    public void Delete(string digest) => File.Delete(PathOf(digest));
}
