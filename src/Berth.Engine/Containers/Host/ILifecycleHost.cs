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
    /// Starts a container's first process (berth-launcher and berth-init); throws <see cref="ContainerStartException"/>
    /// with Docker's exit code (126, 127, 128) when it cannot.
    /// </summary>
    IContainerProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles, SafeFileHandle? consoleSocket);

    /// <summary>Starts a `docker exec` command inside a running container.</summary>
    IContainerProcess LaunchExec(ExecLaunchSpec spec, IReadOnlyList<SafeFileHandle> stdio);

    /// <param name="lowerDirectories">The image's layer directories, top-most first.</param>
    void MountRootfs(OverlayRootfs rootfs, IReadOnlyList<string> lowerDirectories);

    /// <summary>Unmounts if mounted; returns whether something was unmounted. Throws when the unmount fails (EBUSY).</summary>
    bool UnmountRootfs(OverlayRootfs rootfs);

    bool IsRootfsMounted(OverlayRootfs rootfs);
}
