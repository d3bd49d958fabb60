using System.Collections.Concurrent;
using Berth.Engine.Cgroups;
using Berth.InitSpec;

namespace Berth.Engine.Tests.Containers.Fakes;

/// <summary>Container cgroups in memory: created, opened, destroyed, with scripted OOM kills and destroy failures.</summary>
internal sealed class FakeCgroupDriver : ICgroupDriver
{
    public ConcurrentDictionary<string, FakeContainerCgroup> Cgroups { get; } = new();

    public int Version => 2;

    public string Description => "fake cgroups";

    /// <summary>The next cgroup created fails its destroy once (a process that would not leave).</summary>
    public bool NextDestroyFails { get; set; }

    public ContainerCgroup Create(string containerId, CgroupLimits limits)
    {
        var cgroup = new FakeContainerCgroup(this, containerId) { DestroyFails = NextDestroyFails };
        NextDestroyFails = false;
        if (!Cgroups.TryAdd(containerId, cgroup))
            throw new CgroupException($"cgroup of {containerId} already exists");
        return cgroup;
    }

    /// <summary>The limits of the last <see cref="Update"/> (`docker update`).</summary>
    public CgroupLimits? LastUpdate { get; private set; }

    public void Update(ContainerCgroup cgroup, CgroupLimits limits) => LastUpdate = limits;

    public InitCgroupMount ContainerMount() => new() { Version = 2 };

    public ContainerCgroup? Open(string containerId) => Cgroups.GetValueOrDefault(containerId);

    public IReadOnlyList<string> ListContainerIds() => [.. Cgroups.Keys];

    public bool RemoveParentIfEmpty() => Cgroups.IsEmpty;
}
