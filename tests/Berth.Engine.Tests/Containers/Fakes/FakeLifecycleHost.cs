using Berth.Engine.Containers.Host;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Tests.Containers.Fakes;

/// <summary>
/// Plays the host's part for the lifecycle without root: launches are recorded fake processes the test ends with
/// scripted exits, a launch can fail as berth-init would (126, 127), and an unmount can fail with EBUSY.
/// </summary>
internal sealed class FakeLifecycleHost : ILifecycleHost
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _mounted = [];
    private int _nextPid = 4000;

    public string ReaperPath => "/fake/berth-reaper";

    public List<FakeProcess> Launched { get; } = [];

    /// <summary>The next launch throws this (then the failure is used up).</summary>
    public ContainerStartException? NextLaunchFailure { get; set; }

    /// <summary>Every launched process exits at once with this code (stress of short containers).</summary>
    public int? ExitAtOnce { get; set; }

    /// <summary>The next unmount fails with EBUSY, leaving the mount.</summary>
    public bool NextUnmountBusy { get; set; }

    public IContainerProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles, SafeFileHandle? consoleSocket) =>
        Start();

    public IContainerProcess LaunchExec(ExecLaunchSpec spec, IReadOnlyList<SafeFileHandle> stdio) => Start();

    private FakeProcess Start()
    {
        lock (_gate)
        {
            if (NextLaunchFailure is { } failure)
            {
                NextLaunchFailure = null;
                throw failure;
            }
            var process = new FakeProcess(++_nextPid);
            Launched.Add(process);
            if (ExitAtOnce is { } code)
                _ = Task.Run(() => process.Exit(code));
            return process;
        }
    }

    public FakeProcess LastLaunched
    {
        get
        {
            lock (_gate)
                return Launched[^1];
        }
    }

    public void MountRootfs(OverlayRootfs rootfs, IReadOnlyList<string> lowerDirectories)
    {
        if (lowerDirectories.Count == 0)
            throw new InvalidOperationException("an overlay needs a lower directory");
        lock (_gate)
            _mounted.Add(rootfs.MergedDirectory);
    }

    public bool UnmountRootfs(OverlayRootfs rootfs)
    {
        lock (_gate)
        {
            if (NextUnmountBusy && _mounted.Contains(rootfs.MergedDirectory))
            {
                NextUnmountBusy = false;
                throw new SyscallException($"umount `{rootfs.MergedDirectory}`", Errno.EBUSY);
            }
            return _mounted.Remove(rootfs.MergedDirectory);
        }
    }

    public bool IsRootfsMounted(OverlayRootfs rootfs)
    {
        lock (_gate)
            return _mounted.Contains(rootfs.MergedDirectory);
    }

    /// <summary>Marks a rootfs mounted, as a crashed engine would have left it.</summary>
    public void LeaveMounted(string mergedDirectory)
    {
        lock (_gate)
            _mounted.Add(mergedDirectory);
    }

    public int MountCount
    {
        get
        {
            lock (_gate)
                return _mounted.Count;
        }
    }
}
