namespace Berth.Engine.Containers;

/// <summary>The conditions of POST /containers/{id}/wait.</summary>
public enum WaitCondition
{
    /// <summary>Return at once if the container is not running, else at its exit (`docker wait`).</summary>
    NotRunning,

    /// <summary>Return at the next exit, even if the container has not started yet (`docker run`).</summary>
    NextExit,

    /// <summary>Return once the container has been removed (`docker run --rm`).</summary>
    Removed,
}
