namespace Berth.Engine.Cgroups;

/// <summary>
/// Creates and finds container cgroups below the engine's own cgroup. <see cref="CgroupV1Manager"/> drives
/// v1 and hybrid hosts, <see cref="CgroupV2Manager"/> unified hosts; <see cref="CgroupDriverDetector"/> picks one.
/// </summary>
public interface ICgroupDriver
{
    /// <summary>1 or 2.</summary>
    int Version { get; }

    /// <summary>For <c>docker info</c>, e.g. "cgroupfs v1 (hybrid)".</summary>
    string Description { get; }

    /// <summary>
    /// Creates <c>&lt;engine's cgroup&gt;/&lt;parent name&gt;/&lt;containerId&gt;</c> in every hierarchy the driver manages
    /// and applies <paramref name="limits"/>. Throws <see cref="ArgumentException"/> for an invalid id and
    /// <see cref="CgroupException"/> when a requested limit's controller is unavailable or the cgroup already exists.
    /// </summary>
    ContainerCgroup Create(string containerId, CgroupLimits limits);

    /// <summary>
    /// Rewrites the resource limits of a container's existing cgroup while it runs (`docker update`): memory, swap, CPU
    /// quota and shares, pids (a <see cref="CgroupLimits.PidsLimit"/> of -1 writes "max"). Device rules are left as they are.
    /// Throws <see cref="CgroupException"/> when the kernel refuses a value (a memory limit below the current usage).
    /// </summary>
    void Update(ContainerCgroup cgroup, CgroupLimits limits);

    /// <summary>How berth-init mounts /sys/fs/cgroup inside a container: the hierarchies this driver manages, as it sees them.</summary>
    InitSpec.InitCgroupMount ContainerMount();

    /// <summary>The existing cgroup of a container (after a daemon restart), or null when there is none.</summary>
    ContainerCgroup? Open(string containerId);

    /// <summary>The container ids that have a cgroup under the parent, to reconcile leaks.</summary>
    IReadOnlyList<string> ListContainerIds();

    /// <summary>
    /// Removes the parent cgroup (in every hierarchy) if no container cgroup is left in it. An engine whose
    /// parent is private to it (a test, a second daemon) calls this when it closes. Returns false when
    /// container cgroups remain and the parent was kept.
    /// </summary>
    bool RemoveParentIfEmpty();
}
