using Berth.Engine.Containers;
using Berth.Engine.Containers.Host;
using Berth.Engine.Images;
using Berth.Engine.Processes;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Archive;

/// <summary>
/// A directory handle on a container's filesystem, to resolve every path under with openat2 RESOLVE_IN_ROOT.
/// <list type="bullet">
/// <item>Running, with mounts: <c>/proc/&lt;pid&gt;/root</c>, the root of the container's own mount namespace.
/// It shows the container's bind mounts (as moby's openContainerFS does) but also /proc, /sys and /dev,
/// which Docker's view does not have: <see cref="IsKernelFilesystem"/> lets callers hide them.</item>
/// <item>Running, rootfs only (export): a detached clone of the overlay mount the host holds for the container.</item>
/// <item>Stopped: the overlay mounted for a moment, cloned and unmounted again, so the host's mount table never
/// keeps it; bind mounts are not in this view. The container's <see cref="Container.Lifecycle"/> lock is held
/// until the view is disposed, so a start cannot mount a second overlay over the same upper dir meanwhile.</item>
/// </list>
/// Clones and the namespace root never keep the host's mount of the container busy: its exit still unmounts it.
/// </summary>
internal sealed class FilesystemView : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    // Magic numbers (linux/magic.h) of kernel filesystems a container's namespace mounts on /proc, /sys and /dev.
    private static readonly HashSet<long> KernelFilesystems =
    [
        0x9fa0 /* proc */, 0x62656572 /* sysfs */, 0x27e0eb /* cgroup */, 0x63677270 /* cgroup2 */, 0x1cd1 /* devpts */,
        0x19800202 /* mqueue */, 0x73636673 /* securityfs */, 0x64626720 /* debugfs */, 0x74726163 /* tracefs */, unchecked((long)0xcafe4a11) /* bpf */,
    ];

    private Container? _locked;

    private FilesystemView(SafeFileHandle root, bool running, Container? locked)
    {
        Root = root;
        Running = running;
        _locked = locked;
    }

    /// <summary>An O_PATH handle on the container's "/".</summary>
    public SafeFileHandle Root { get; }

    /// <summary>Whether the container was running when the view was taken (then the view includes its mounts).</summary>
    public bool Running { get; }

    /// <param name="withMounts">For a running container: its namespace's view (cp) rather than its rootfs alone (export).</param>
    public static async Task<FilesystemView> OpenAsync(Container container, ImageStore images, bool withMounts, CancellationToken ct)
    {
        await container.Lifecycle.WaitAsync(ct);
        bool keepLock = false;
        try
        {
            if (container.Removed.Task.IsCompleted)
                throw new ContainerNotFoundException(container.Id);
            while (true)
            {
                // NextExit first: it is replaced only after Runtime is cleared, so this is the run we see below.
                var exit = container.NextExit.Task;
                if (container.Runtime is not { } runtime)
                    break;
                var root = withMounts ? OpenProcessRoot(runtime.Process) : OpenMountedRootfs(container);
                if (root is not null)
                    return new FilesystemView(root, running: true, locked: null);
                // The process is gone but its exit is still being handled: once it is, the container is stopped.
                await WaitForExitAsync(container, exit, ct);
            }
            var stopped = OpenStoppedRootfs(container, images);
            keepLock = true;
            return new FilesystemView(stopped, running: false, locked: container);
        }
        finally
        {
            if (!keepLock)
                container.Lifecycle.Release();
        }
    }

    /// <summary>Whether an open directory is on /proc, /sys or the like, which Docker's view of a container does not show.</summary>
    public static bool IsKernelFilesystem(SafeFileHandle handle) => KernelFilesystems.Contains(Sys.StatFs(handle).Type);

    /// <summary>Closes the handle, then lets the container start again; more calls do nothing.</summary>
    public void Dispose()
    {
        Root.Dispose();
        Interlocked.Exchange(ref _locked, null)?.Lifecycle.Release();
    }

    private static async Task WaitForExitAsync(Container container, Task exit, CancellationToken ct)
    {
        try
        {
            await exit.WaitAsync(ExitTimeout, ct);
        }
        catch (TimeoutException)
        {
            throw new ContainerConflictException($"container {container.Id} is stopping; try again");
        }
    }

    /// <summary>
    /// /proc/&lt;pid&gt;/root of the container's first process, or null when it has exited. /proc/&lt;pid&gt; is opened
    /// before the pidfd says the process is alive: berthd reaps it through that pidfd, so the pid cannot have
    /// been reused by then. A zombie has no root any more (ENOENT).
    /// </summary>
    private static SafeFileHandle? OpenProcessRoot(IContainerProcess process)
    {
        if (process.PidFd is not { } pidfd)
            return null;
        bool added = false;
        try
        {
            pidfd.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        try
        {
            if (!Sys.TryOpen($"/proc/{process.Pid}", O_PATH | O_DIRECTORY, out var proc))
                return null;
            using (proc)
            {
                if (!Sys.PidfdSendSignal(pidfd, 0))
                    return null;
                if (Sys.TryOpenAt2(proc, "root", O_PATH | O_DIRECTORY, 0, out var root, out int errno))
                    return root;
                return errno == Errno.ENOENT ? null : throw new SyscallException($"open `/proc/{process.Pid}/root`", errno);
            }
        }
        finally
        {
            if (added)
                pidfd.DangerousRelease();
        }
    }

    /// <summary>A clone of the overlay mounted for a running container, or null when its exit has unmounted it already.</summary>
    private static SafeFileHandle? OpenMountedRootfs(Container container)
    {
        var clone = Sys.CloneMount(container.Rootfs.MergedDirectory);
        // Unmounted: the clone is of the bare mount point directory, on the same filesystem as its parent.
        if (Sys.Fstat(clone).Device != Sys.Lstat(container.Directory).Device)
            return clone;
        clone.Dispose();
        return null;
    }

    private static SafeFileHandle OpenStoppedRootfs(Container container, ImageStore images)
    {
        var rootfs = container.Rootfs;
        if (rootfs.IsMounted())
            return Sys.CloneMount(rootfs.MergedDirectory);
        var image = images.Find(container.Record.ImageId) ?? throw new ImageNotFoundException(container.Record.ImageId);
        rootfs.Mount(images.GetLayerDirectories(image));
        try
        {
            return Sys.CloneMount(rootfs.MergedDirectory);
        }
        finally
        {
            rootfs.Unmount();
        }
    }
}
