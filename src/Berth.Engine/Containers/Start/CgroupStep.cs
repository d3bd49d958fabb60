using Berth.Engine.Cgroups;

namespace Berth.Engine.Containers.Start;

/// <summary>Creates the container's cgroup with its limits; on release kills what is left in it and removes it.</summary>
internal sealed class CgroupStep(ICgroupDriver cgroups) : IStartStep
{
    /// <summary>How long the release waits for the cgroup to empty: a process in uninterruptible sleep can take seconds.</summary>
    public static readonly TimeSpan DestroyTimeout = TimeSpan.FromSeconds(10);

    public string Name => "cgroup";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        context.Cgroup = cgroups.Create(context.Container.Id, LimitsOf(context.Container.Record.HostConfig));
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(StartContext context)
    {
        if (context.Cgroup is { } cgroup)
            await cgroup.DestroyAsync(DestroyTimeout);
    }

    public static CgroupLimits LimitsOf(HostConfig hostConfig) => new(
        MemoryBytes: hostConfig.Memory > 0 ? hostConfig.Memory : null,
        MemorySwapBytes: hostConfig.MemorySwap != 0 ? hostConfig.MemorySwap : null,
        NanoCpus: hostConfig.NanoCpus > 0 ? hostConfig.NanoCpus : null,
        CpuShares: hostConfig.CpuShares > 0 ? hostConfig.CpuShares : null,
        PidsLimit: hostConfig.PidsLimit is > 0 ? hostConfig.PidsLimit : null,
        AllowAllDevices: hostConfig.Privileged);
}
