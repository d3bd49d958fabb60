using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>
/// The process and mount calls of the container lifecycle: launch, signal and reap (through
/// <see cref="IContainerProcess"/>), rootfs mount and unmount. <see cref="LinuxLifecycleHost"/> makes them on the
/// host; tests inject a fake when the engine opens, to script exits, launch failures, OOM kills and EBUSY without root.
/// </summary>
public interface ILifecycleHost
{
    /// <summary>berth-reaper, the PID 1 of containers run with --init (its path goes into the spec).</summary>
    string ReaperPath { get; }

    /// <summary>
    /// Clones a container's first process (berth-launcher and berth-init) and returns it paused before the exec of
    /// the command, once berth-init reported Ready; throws <see cref="ContainerStartException"/> when it cannot.
    /// </summary>
    IStartingProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles);

    /// <summary>
    /// With live restore (<see cref="LiveRestore"/>), <paramref name="keep"/> makes the process berth-keeper's child and
    /// hands the keeper copies of its output fds, so that it outlives berthd; otherwise the same as the launch above.
    /// </summary>
    IStartingProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles, KeepRequest? keep) =>
        Launch(spec, stdio, cgroupProcsFiles);

    /// <summary>Whether containers outlive berthd (berth-keeper is their parent).</summary>
    bool LiveRestore => false;

    /// <summary>
    /// A container the keeper kept while no engine ran: its process (running, or exited with its real status) and the
    /// keeper's copies of its output fds; null when the keeper does not know it (it was not kept, or no keeper runs).
    /// </summary>
    AdoptedRun? Adopt(string containerId, int pid) => null;

    /// <summary>Tells the keeper to let go of a container it kept (recovery without live restore).</summary>
    void Forget(string containerId)
    {
    }

    /// <summary>Starts a `docker exec` command inside a running container; returns once it runs (126, 127 as for a start).</summary>
    IContainerProcess LaunchExec(ExecLaunchSpec spec, IReadOnlyList<SafeFileHandle> stdio);

    /// <param name="lowerDirectories">The image's layer directories, top-most first.</param>
    void MountRootfs(OverlayRootfs rootfs, IReadOnlyList<string> lowerDirectories);

    /// <summary>Unmounts if mounted; returns whether something was unmounted. Throws when the unmount fails (EBUSY).</summary>
    bool UnmountRootfs(OverlayRootfs rootfs);

    bool IsRootfsMounted(OverlayRootfs rootfs);
}
