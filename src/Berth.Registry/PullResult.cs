using Berth.Engine.Images;

namespace Berth.Registry;

/// <summary>A finished pull: the image, the digest it was pulled by (an index's when there was one), and whether anything changed.</summary>
public sealed record PullResult(Image Image, string Digest, bool Changed);
