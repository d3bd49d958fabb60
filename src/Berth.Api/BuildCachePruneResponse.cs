namespace Berth.Api;

/// <summary>The answer of <c>POST /build/prune</c>.</summary>
public sealed class BuildCachePruneResponse
{
    public List<string>? CachesDeleted { get; set; }

    /// <summary>Bytes.</summary>
    public long SpaceReclaimed { get; set; }
}
