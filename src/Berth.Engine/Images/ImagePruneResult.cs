namespace Berth.Engine.Images;

/// <summary>What an image prune removed: per image, its untagged references and deleted IDs, and the layer bytes freed.</summary>
public sealed record ImagePruneResult(IReadOnlyList<(Image Image, ImageDeleteResult Result)> Removed, long SpaceReclaimed);
