using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>
/// A container's first process between clone and exec: its namespaces and cgroup exist and its <see cref="Pid"/> is
/// known, but berth-init waits for berthd's Continue before it execs the command. The start steps between "launch" and
/// "exec" act on it here. Disposing it before <see cref="Continue"/> kills and reaps it.
/// </summary>
public interface IStartingProcess : IDisposable
{
    /// <summary>The host pid (berth-init's, in the container's namespaces: /proc/PID/ns/* are the container's).</summary>
    int Pid { get; }

    /// <summary>
    /// Lets the process exec the command and waits until it runs; returns it with, for a terminal, the pty master
    /// berth-init sent. Throws <see cref="Processes.ContainerStartException"/> with Docker's exit code (126, 127, 128)
    /// when it cannot run, the process then killed and reaped.
    /// </summary>
    (IContainerProcess Process, SafeFileHandle? Terminal) Continue();
}
