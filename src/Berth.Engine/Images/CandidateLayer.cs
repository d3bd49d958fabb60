namespace Berth.Engine.Images;

/// <summary>A layer as a manifest names it: the archive entry, and the digest and size the manifest promises (when it does).</summary>
internal readonly record struct CandidateLayer(string EntryName, string? ExpectedDigest, long? ExpectedSize);
