namespace Berth.Engine.Cgroups;

/// <summary>The cgroup(s) of one container, in every hierarchy its driver manages.</summary>
public abstract class ContainerCgroup
{
    public abstract string ContainerId { get; }

    /// <summary>
    /// Every <c>cgroup.procs</c> the container's first process must join. The launcher writes "0" into each before it
    /// clones the container, so the container starts inside its cgroups (and in a cgroup namespace rooted there).
    /// </summary>
    public abstract IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>A display path such as <c>/…/berth/&lt;id&gt;</c>, the cgroup as <c>/proc/&lt;pid&gt;/cgroup</c> of its processes shows it.</summary>
    public abstract string Path { get; }

    /// <summary>Whether the kernel's OOM killer killed a process of this cgroup (Docker's <c>State.OOMKilled</c>).</summary>
    public abstract bool WasOomKilled();

    /// <summary>Freezes every process and returns once the kernel reports the cgroup frozen.</summary>
    public abstract void Freeze();

    public abstract void Thaw();

    public abstract bool IsFrozen { get; }

    /// <summary>The pids of the processes in the cgroup and the cgroups below it.</summary>
    public abstract IReadOnlyList<int> Pids();

    /// <summary>Sends SIGKILL to every process in the cgroup. Processes may take a moment to leave it.</summary>
    public abstract void KillAll();

    /// <summary>
    /// Kills what is left, waits until the cgroup is empty, then removes it (and any cgroup below it) in every hierarchy.
    /// Idempotent. Throws <see cref="CgroupException"/> naming the cgroup when it cannot be emptied or removed in <paramref name="timeout"/>.
    /// </summary>
    public abstract Task DestroyAsync(TimeSpan timeout, CancellationToken ct = default);

    public abstract CgroupStats ReadStats();

    /// <summary>memory.stat, user and kernel CPU time and throttling (<c>docker stats</c>).</summary>
    public abstract CgroupStatDetails ReadStatDetails();

    public override string ToString() => Path;
}
