namespace Berth.Engine;

/// <summary>
/// What kind of failure an <see cref="EngineException"/> is, as moby's errdefs classes; the daemon maps each kind to
/// one HTTP status in one place. An exception that is no <see cref="EngineException"/> is a bug: a logged 500.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request is wrong (400).</summary>
    InvalidParameter,

    /// <summary>The object does not exist (404).</summary>
    NotFound,

    /// <summary>The object's state or name forbids the operation (409).</summary>
    Conflict,

    /// <summary>Berth does not do this (501).</summary>
    NotImplemented,

    /// <summary>A host resource failed or is missing: a cgroup, a mount, a helper program (500).</summary>
    System,
}
