using Berth.Engine.Cgroups;

namespace Berth.Engine.Tests.Containers.Fakes;

internal sealed class FakeContainerCgroup(FakeCgroupDriver driver, string containerId) : ContainerCgroup
{
    public override string ContainerId { get; } = containerId;

    public override IReadOnlyList<string> ProcsFiles => [];

    public override string Path => "/fake/" + ContainerId;

    public bool OomKilled { get; set; }

    public bool DestroyFails { get; set; }

    public List<int> Members { get; } = [];

    public int KillAllCalls { get; private set; }

    public override bool WasOomKilled() => OomKilled;

    public override void Freeze() => IsFrozenNow = true;

    public override void Thaw() => IsFrozenNow = false;

    private bool IsFrozenNow { get; set; }

    public override bool IsFrozen => IsFrozenNow;

    public override IReadOnlyList<int> Pids() => [.. Members];

    public override void KillAll() => KillAllCalls++;

    public override Task DestroyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        if (DestroyFails)
        {
            DestroyFails = false;
            throw new CgroupException($"cannot remove cgroup {Path}: processes 4242 are still in it after {timeout.TotalSeconds:0.#} s");
        }
        driver.Cgroups.TryRemove(ContainerId, out _);
        return Task.CompletedTask;
    }

    public override CgroupStats ReadStats() => throw new NotSupportedException();

    public override CgroupStatDetails ReadStatDetails() => throw new NotSupportedException();
}
