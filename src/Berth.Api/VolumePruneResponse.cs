namespace Berth.Api;

/// <summary><c>POST /volumes/prune</c>.</summary>
public sealed class VolumePruneResponse
{
    public List<string>? VolumesDeleted { get; set; }

    public long SpaceReclaimed { get; set; }
}
