using Berth.Interop;
using Berth.Engine.Io;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>The lifecycle's process and mount calls on this host: berth-launcher, pidfds on the epoll loop, overlayfs.</summary>
public sealed class LinuxLifecycleHost : ILifecycleHost, IDisposable
{
    private readonly ContainerProcessLauncher _launcher;
    private readonly ContainerProcessLauncher _keptLauncher;
    private readonly EpollLoop _loop;
    private readonly KeeperClient? _keeper;

    /// <summary>With <see cref="EngineOptions.LiveRestore"/> it connects to the data root's berth-keeper, starting it when none runs.</summary>
    public LinuxLifecycleHost(EngineOptions options, EpollLoop loop)
    {
        var helpers = new List<string> { options.LauncherPath, options.InitPath, options.ReaperPath };
        if (options.LiveRestore)
            helpers.Add(options.KeeperPath);
        foreach (string helper in helpers)
            if (!File.Exists(helper))
                throw new FileNotFoundException($"helper program `{helper}` is missing (build it with `make`, or set BERTH_HELPER_DIR)", helper);
        _launcher = new ContainerProcessLauncher(options.LauncherPath, options.InitPath, options.ReaperPath);
        _loop = loop;
        // Without live restore a keeper left by an earlier engine is still asked to let go of what it kept (Forget).
        _keeper = options.LiveRestore ? KeeperClient.Open(options.KeeperPath, options.KeeperSocket) : KeeperClient.TryConnect(options.KeeperSocket);
        LiveRestore = options.LiveRestore;
        _keptLauncher = LiveRestore
            ? new ContainerProcessLauncher(options.LauncherPath, options.InitPath, options.ReaperPath) { Keeper = _keeper }
            : _launcher;
    }

    public string ReaperPath => _launcher.ReaperPath;

    public bool LiveRestore { get; }

    public IStartingProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles) =>
        Launch(spec, stdio, cgroupProcsFiles, keep: null);

    public IStartingProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles, KeepRequest? keep)
    {
        bool kept = keep is not null && LiveRestore;
        var session = (kept ? _keptLauncher : _launcher).Start(spec, stdio, cgroupProcsFiles);
        try
        {
            session.WaitReady();
            return kept ? new PausedLaunch(session, _loop, _keeper, keep) : new PausedLaunch(session, _loop);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>An exec has no Ready: Pid, then end of stream once the command runs, or Error (126, 127).</summary>
    public IContainerProcess LaunchExec(ExecLaunchSpec spec, IReadOnlyList<SafeFileHandle> stdio)
    {
        using var session = _launcher.StartExec(spec, stdio);
        session.WaitExec()?.Dispose();
        return new PidfdProcess(session.Process, _loop);
    }

    public AdoptedRun? Adopt(string containerId, int pid)
    {
        if (!LiveRestore || _keeper is null || pid <= 0)
            return null;
        var status = _keeper.Status(containerId);
        if (status is null)
            return null;
        SafeFileHandle? pidfd = null;
        if (status.Running)
        {
            try
            {
                pidfd = Sys.PidfdOpen(pid);
            }
            catch (SyscallException)
            {
                // Gone between the two questions: the keeper has its status now.
                status = _keeper.Status(containerId);
                if (status is null or { Running: true })
                    return null;
            }
        }
        var fds = _keeper.Fetch(containerId);
        var process = pidfd is not null
            ? new KeptProcess(pid, pidfd, containerId, _keeper, _loop)
            : new KeptProcess(pid, new SafeFileHandle(), containerId, _keeper, _loop, exitedWith: status.ExitCode);
        return new AdoptedRun(process, fds);
    }

    public void Forget(string containerId)
    {
        try
        {
            _keeper?.Drop(containerId);
        }
        catch (Exception e) when (e is IOException or SyscallException)
        {
            // The keeper went away: it took its copies with it.
        }
    }

    /// <summary>Closes the connection to the keeper, which exits once it keeps nothing.</summary>
    public void Dispose() => _keeper?.Dispose();

    public void MountRootfs(OverlayRootfs rootfs, IReadOnlyList<string> lowerDirectories) => rootfs.Mount(lowerDirectories);

    public bool UnmountRootfs(OverlayRootfs rootfs) => rootfs.Unmount();

    public bool IsRootfsMounted(OverlayRootfs rootfs) => rootfs.IsMounted();
}
