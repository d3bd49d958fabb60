namespace Berth.Engine.Archive;

/// <summary>Docker's change types for <c>GET /containers/{id}/changes</c>, with their numbers in the API.</summary>
public enum ChangeKind
{
    /// <summary>"C"</summary>
    Modified = 0,

    /// <summary>"A"</summary>
    Added = 1,

    /// <summary>"D"</summary>
    Deleted = 2,
}
