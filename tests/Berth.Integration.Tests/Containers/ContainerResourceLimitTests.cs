using Berth.Engine.Containers;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>cgroup limits seen from inside real containers (v1 on hybrid hosts, v2 in the VM lane).</summary>
[TestFixture]
[NonParallelizable]
[Category("Cgroups")]
public sealed class ContainerResourceLimitTests
{
    private TestEngine _engine = null!;

    [OneTimeSetUp]
    public async Task StartEngine() => _engine = await TestEngine.StartAsync();

    [OneTimeTearDown]
    public async Task StopEngine()
    {
        if (_engine is not null)
            await _engine.DisposeAsync();
    }

    [Test]
    public async Task A_memory_limit_oom_kills_a_larger_allocation_with_137()
    {
        // dd allocates its 64 MiB block and touches it while reading: twice the 32 MiB limit.
        var run = await _engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"] },
            new HostConfig { Memory = 32 * 1024 * 1024 });
        Assert.That(run.ExitCode, Is.EqualTo(137));
        Assert.That(run.Exit.OOMKilled, Is.True);
        Assert.That(run.Container.State.OOMKilled, Is.True);
    }

    [Test]
    public async Task The_same_allocation_fits_without_a_limit()
    {
        var run = await _engine.RunAsync("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Exit.OOMKilled, Is.False);
    }

    [Test]
    public async Task A_pids_limit_makes_fork_fail()
    {
        var run = await _engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "for i in $(seq 20); do sleep 5 & done 2>&1; echo forked; kill $(jobs -p) 2>/dev/null; true"] },
            new HostConfig { PidsLimit = 10 });
        Assert.That(run.Stdout + run.Stderr, Does.Contain("can't fork").IgnoreCase.Or.Contain("Resource temporarily unavailable"));
    }

    [Test]
    public async Task The_container_sees_its_own_cgroup_as_the_root()
    {
        var run = await _engine.RunAsync(new ContainerConfig { Image = "busybox", Cmd = ["cat", "/proc/self/cgroup"] }, new HostConfig { Memory = 64 * 1024 * 1024 });
        var paths = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 3)[2]).ToList();
        Assert.That(paths, Is.Not.Empty);
        Assert.That(paths, Has.All.EqualTo("/"), "cgroup namespace rooted at the container's cgroup");
    }
}
