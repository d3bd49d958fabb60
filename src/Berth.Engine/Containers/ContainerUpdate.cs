namespace Berth.Engine.Containers;

/// <summary>
/// What `docker update` changes (POST /containers/{id}/update), in HostConfig's units; null leaves a value as it is.
/// As in moby, a zero resource value from the API means "unchanged" and is mapped to null by the route.
/// </summary>
public sealed class ContainerUpdate
{
    public long? Memory { get; init; }

    public long? MemorySwap { get; init; }

    public long? NanoCpus { get; init; }

    public long? CpuShares { get; init; }

    /// <summary>0 or -1: unlimited.</summary>
    public long? PidsLimit { get; init; }

    public Restart.RestartPolicy? RestartPolicy { get; init; }

    public bool ChangesResources => Memory is not null || MemorySwap is not null || NanoCpus is not null || CpuShares is not null || PidsLimit is not null;

    /// <summary>The fields of <paramref name="host"/> this update concerns, with the update applied (a copy).</summary>
    internal HostConfig ApplyTo(HostConfig host) => new()
    {
        Memory = Memory ?? host.Memory,
        // moby: a new memory limit above the old swap limit needs a new swap limit too; with Docker's default
        // (0: twice the memory) the swap follows the memory.
        MemorySwap = MemorySwap ?? host.MemorySwap,
        NanoCpus = NanoCpus ?? host.NanoCpus,
        CpuShares = CpuShares ?? host.CpuShares,
        PidsLimit = PidsLimit ?? host.PidsLimit,
        RestartPolicy = RestartPolicy is { Name.Length: > 0 } policy ? policy : host.RestartPolicy,
        AutoRemove = host.AutoRemove,
        Privileged = host.Privileged,
    };
}
