namespace Berth.Engine.Images;

/// <summary>One line of `docker history`: a history entry of the config and the size of its layer (0 for an empty one).</summary>
public sealed record ImageHistoryItem(DateTimeOffset? Created, string CreatedBy, string Comment, long Size, bool EmptyLayer);
