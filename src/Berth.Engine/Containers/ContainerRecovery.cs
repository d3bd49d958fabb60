using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Host;
using Berth.Engine.Containers.Start;
using Berth.Engine.Rootfs;
using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// Rebuilds the engine's containers from disk at load, after a clean stop or a kill -9: a container that was running
/// is adopted when berth-keeper kept it (live restore), else killed, released and marked exited; one that was not may still hold a cgroup or mount from a start or exit that
/// was cut short; a create cut short (a directory without config.json) is removed; cgroups and mounts that belong to
/// no container are freed.
/// </summary>
internal sealed class ContainerRecovery(ContainerStore store, ContainerIndex index, ICgroupDriver cgroups, ILifecycleHost host, ILogger logger)
{
    /// <summary>Live restore: takes over a run that berth-keeper kept (<see cref="ContainerAdoption"/>); false when it cannot.</summary>
    public Func<Container, AdoptedRun, bool>? Adopt { get; set; }

    public async Task LoadAsync(CancellationToken ct)
    {
        foreach (string id in store.ListIncomplete())
            await RemoveIncompleteAsync(id, ct);
        foreach (var (record, state) in store.LoadAll())
        {
            var container = new Container(record, state, store.DirectoryOf(record.Id), store.LogPathOf(record));
            index.Add(container);
            // Restart policies: a container the engine left waiting for its restart is exited, with its exit code;
            // ContainerManager.StartByRestartPolicy (called by the daemon once it serves) starts it again if its policy says so.
            if (state.Status == ContainerStatus.Restarting)
                store.SaveState(record.Id, container.UpdateState(s => s.Status = ContainerStatus.Exited));
            if (state.Running && state.Status != ContainerStatus.Removing && Adopt is { } adopt && host.Adopt(container.Id, state.Pid) is { } run
                && adopt(container, run))
                continue;
            if (state.Running || state.Status == ContainerStatus.Removing)
            {
                await RecoverAsync(container, ct);
                host.Forget(container.Id);
            }
            else
                await ReleaseLeftoversAsync(container, ct);
        }
        await RemoveStrangersAsync(ct);
    }

    /// <summary>
    /// A create that never finished: config.json is written last, so no client was ever given this id. Nothing can
    /// list, start or remove it, so it is removed here with whatever it holds.
    /// </summary>
    private async Task RemoveIncompleteAsync(string id, CancellationToken ct)
    {
        logger.LogWarning("Removing {Container}, whose create was interrupted", id.Length > 12 ? id[..12] : id);
        if (ContainerNames.IsContainerId(id) && cgroups.Open(id) is { } cgroup)
            await cgroup.DestroyAsync(CgroupStep.DestroyTimeout, ct);
        host.UnmountRootfs(new OverlayRootfs(store.DirectoryOf(id)));
        host.Forget(id);
        store.Delete(id);
    }

    /// <summary>A container that was not running may still hold a cgroup or a mount if the engine died in the middle of a start.</summary>
    private async Task ReleaseLeftoversAsync(Container container, CancellationToken ct)
    {
        host.Forget(container.Id); // a start cut short after the keeper was handed its fds
        if (cgroups.Open(container.Id) is { } cgroup)
        {
            logger.LogWarning("Removing the leftover cgroup of {Container}", container.Id[..12]);
            await cgroup.DestroyAsync(CgroupStep.DestroyTimeout, ct);
        }
        if (host.UnmountRootfs(container.Rootfs))
            logger.LogWarning("Unmounted the leftover rootfs of {Container}", container.Id[..12]);
    }

    /// <summary>A container that was running when the engine went away: kill what is left, free its resources, mark it exited.</summary>
    private async Task RecoverAsync(Container container, CancellationToken ct)
    {
        bool wasAlive = false;
        if (cgroups.Open(container.Id) is { } cgroup)
        {
            wasAlive = cgroup.Pids().Count > 0;
            await cgroup.DestroyAsync(CgroupStep.DestroyTimeout, ct);
        }
        host.UnmountRootfs(container.Rootfs);
        var state = container.UpdateState(s =>
        {
            if (s.Status == ContainerStatus.Removing)
            {
                s.Status = ContainerStatus.Exited;
                return;
            }
            s.Status = ContainerStatus.Exited;
            s.Pid = 0;
            s.ExitCode = wasAlive ? 128 + Signals.SIGKILL : 255;
            s.Error = wasAlive ? "" : "the engine stopped while the container was running; its exit status is unknown";
            s.FinishedAt = DateTime.UtcNow;
        });
        store.SaveState(container.Id, state);
        logger.LogInformation("Recovered {Container}: marked exited ({ExitCode})", container.Id[..12], state.ExitCode);
    }

    /// <summary>cgroups and mounts under the engine's parent and data root that belong to no known container (a crash between steps).</summary>
    private async Task RemoveStrangersAsync(CancellationToken ct)
    {
        foreach (string id in cgroups.ListContainerIds())
        {
            if (!index.Contains(id) && cgroups.Open(id) is { } stranger)
            {
                logger.LogWarning("Removing cgroup {Id}, which belongs to no container", id);
                await stranger.DestroyAsync(CgroupStep.DestroyTimeout, ct);
            }
        }
        foreach (string mount in MountTable.MountPointsUnder(store.Root).OrderByDescending(m => m.Length))
        {
            string id = Path.GetFileName(Path.GetDirectoryName(mount)!);
            var owner = index.Find(id);
            if (owner is null || mount != owner.Rootfs.MergedDirectory || owner.Runtime is null)
            {
                logger.LogWarning("Unmounting {Mount}, which belongs to no running container", mount);
                Sys.TryUnmount(mount, Libc.MNT_DETACH);
            }
        }
    }
}
