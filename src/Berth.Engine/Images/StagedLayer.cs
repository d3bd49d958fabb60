namespace Berth.Engine.Images;

/// <summary>A layer blob of the archive, stored in a temp file and unpacked into a temp directory, with its digests.</summary>
internal sealed class StagedLayer
{
    /// <summary>The entry name in the archive, for messages.</summary>
    public required string EntryName { get; init; }

    /// <summary>The temp blob file; after commit, the blob in the store.</summary>
    public required string BlobPath { get; set; }

    /// <summary>sha256 of the blob as stored in the archive (compressed or not).</summary>
    public required string Digest { get; init; }

    public required long Size { get; init; }

    /// <summary>sha256 of the uncompressed tar.</summary>
    public required string DiffId { get; init; }

    /// <summary>Bytes of regular file content.</summary>
    public required long UnpackedSize { get; init; }

    public required LayerFormat Format { get; init; }

    /// <summary>The temp layer directory (with <c>diff/</c> inside), until a commit takes it.</summary>
    public string? Directory { get; set; }

    public bool Committed { get; set; }
}
