namespace Berth.Api;

/// <summary>The answer of <c>POST /containers/prune</c>.</summary>
public sealed class ContainerPruneResponse
{
    public List<string>? ContainersDeleted { get; set; }

    /// <summary>Bytes.</summary>
    public long SpaceReclaimed { get; set; }
}
