namespace Berth.Engine.Images;

/// <summary>A layer blob of a stored image: the digest, size and compression it was stored with, its DiffID, and its file.</summary>
public sealed record ImageContentLayer(string Digest, long Size, LayerFormat Format, string DiffId, string BlobPath);
