using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>
/// A process the engine started (a container's first process or an exec): signalled while it runs, reaped exactly once
/// by its host, which completes <see cref="Exited"/> with the wait status. Disposing it frees its pidfd.
/// </summary>
public interface IContainerProcess : IDisposable
{
    /// <summary>The host pid.</summary>
    int Pid { get; }

    /// <summary>The pidfd, to pin the process while its /proc entries are opened; null for a process that has none (a fake).</summary>
    SafeFileHandle? PidFd { get; }

    /// <summary>How long berth-launcher took to clone the process.</summary>
    TimeSpan LauncherTime { get; }

    /// <summary>How long berth-init took to set the container up and exec the command.</summary>
    TimeSpan InitTime { get; }

    /// <summary>
    /// The exit status once the process was reaped: the code it exited with, or 128+signal when a signal ended it.
    /// Faults when it could not be reaped.
    /// </summary>
    Task<int> Exited { get; }

    /// <summary>Sends a signal; returns false when the process has already exited.</summary>
    bool Signal(int signal);
}
