namespace Berth.Engine.Containers;

/// <summary>
/// The container's states and what moves between them, as runc's libcontainer/state_linux.go: every state change
/// goes through <see cref="Check"/>, and every operation asks here whether its state allows it, with Docker's message
/// when it does not.
/// <code>
///   created ──start──▶ running ◀──unpause── paused
///      │                │  ▲ └───pause────────▲ │
///      │               exit └─start─┐          exit
///      │                ▼           │           ▼
///      └──remove──▶ removing ◀─remove── exited ◀┘        (a failed start leaves created or exited as it was;
///                     │  ▲                                   a removal that fails leaves dead, removable again)
///                     ▼  │
///                     dead
///   running/paused ──exit with a restart policy──▶ restarting ──back-off──▶ running
///                   (a stop, kill or rm of a restarting container, or a restart that fails, leaves exited)
/// </code>
/// </summary>
internal static class ContainerTransitions
{
    private static readonly Dictionary<ContainerStatus, ContainerStatus[]> Next = new()
    {
        [ContainerStatus.Created] = [ContainerStatus.Running, ContainerStatus.Removing],
        [ContainerStatus.Running] = [ContainerStatus.Paused, ContainerStatus.Exited, ContainerStatus.Restarting],
        [ContainerStatus.Paused] = [ContainerStatus.Running, ContainerStatus.Exited, ContainerStatus.Restarting],
        [ContainerStatus.Exited] = [ContainerStatus.Running, ContainerStatus.Removing],
        [ContainerStatus.Removing] = [ContainerStatus.Exited, ContainerStatus.Dead],
        [ContainerStatus.Restarting] = [ContainerStatus.Running, ContainerStatus.Exited, ContainerStatus.Removing],
        [ContainerStatus.Dead] = [ContainerStatus.Removing],
    };

    /// <summary>Throws when <paramref name="from"/> cannot become <paramref name="to"/>: a bug in the engine, not the client's mistake.</summary>
    public static void Check(ContainerStatus from, ContainerStatus to)
    {
        if (from != to && !Next[from].Contains(to))
            throw new InvalidOperationException($"a container cannot go from {from} to {to}");
    }

    /// <summary>False when the container already runs (HTTP 304); throws when it cannot start from its state.</summary>
    public static bool CanStart(Container container)
    {
        return container.State.Status switch
        {
            ContainerStatus.Running or ContainerStatus.Restarting => false, // moby: a restarting container counts as running
            ContainerStatus.Paused => throw new ContainerConflictException("cannot start a paused container, try unpause instead"),
            ContainerStatus.Removing or ContainerStatus.Dead => throw new ContainerConflictException($"container {container.Id} is marked for removal and cannot be started"),
            _ => true,
        };
    }

    /// <summary>Kill and pause need a running process.</summary>
    public static void CheckRunning(Container container)
    {
        if (!container.State.Running || container.Runtime is null)
            throw new ContainerConflictException($"Container {container.Id} is not running");
    }

    public static void CheckPause(Container container)
    {
        CheckRunning(container);
        if (container.State.Status == ContainerStatus.Paused)
            throw new ContainerConflictException($"Container {container.Id} is already paused");
    }

    public static void CheckUnpause(Container container)
    {
        if (container.Runtime is null || container.State.Status != ContainerStatus.Paused)
            throw new ContainerConflictException($"Container {container.Id} is not paused");
    }

    /// <summary>A running container is removed only with force; a removal in progress is not started twice.</summary>
    public static void CheckRemove(Container container, bool force)
    {
        if (force)
            return;
        var status = container.State.Status;
        if (status == ContainerStatus.Paused)
            throw new ContainerConflictException($"You cannot remove a paused container {container.Id}. Unpause and then stop the container before attempting removal or force remove");
        if (container.Runtime is not null)
            throw new ContainerConflictException($"You cannot remove a running container {container.Id}. Stop the container before attempting removal or force remove");
        if (status == ContainerStatus.Restarting)
            throw new ContainerConflictException($"You cannot remove a restarting container {container.Id}. Stop the container before attempting removal or force remove");
        if (status == ContainerStatus.Removing)
            throw new ContainerConflictException($"removal of container {container.Id} is already in progress");
    }
}
