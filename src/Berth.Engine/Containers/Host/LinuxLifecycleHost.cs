using Berth.Engine.Io;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>The lifecycle's process and mount calls on this host: berth-launcher, pidfds on the epoll loop, overlayfs.</summary>
public sealed class LinuxLifecycleHost : ILifecycleHost
{
    private readonly ContainerProcessLauncher _launcher;
    private readonly EpollLoop _loop;

    public LinuxLifecycleHost(EngineOptions options, EpollLoop loop)
    {
        foreach (string helper in new[] { options.LauncherPath, options.InitPath, options.ReaperPath })
            if (!File.Exists(helper))
                throw new FileNotFoundException($"helper program `{helper}` is missing (build it with `make`, or set BERTH_HELPER_DIR)", helper);
        _launcher = new ContainerProcessLauncher(options.LauncherPath, options.InitPath, options.ReaperPath);
        _loop = loop;
    }

    public string ReaperPath => _launcher.ReaperPath;

    public IContainerProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles, SafeFileHandle? consoleSocket) =>
        new PidfdProcess(_launcher.Launch(spec, stdio, cgroupProcsFiles, consoleSocket), _loop);

    public IContainerProcess LaunchExec(ExecLaunchSpec spec, IReadOnlyList<SafeFileHandle> stdio) =>
        new PidfdProcess(_launcher.LaunchExec(spec, stdio), _loop);

    public void MountRootfs(OverlayRootfs rootfs, IReadOnlyList<string> lowerDirectories) => rootfs.Mount(lowerDirectories);

    public bool UnmountRootfs(OverlayRootfs rootfs) => rootfs.Unmount();

    public bool IsRootfsMounted(OverlayRootfs rootfs) => rootfs.IsMounted();
}
