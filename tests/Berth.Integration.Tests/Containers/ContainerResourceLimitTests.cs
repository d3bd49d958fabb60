using Berth.Engine.Containers;
using Berth.Integration.Tests.Cgroups;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>cgroup limits seen from inside real containers (v1 on hybrid hosts, v2 in the VM lane).</summary>
[TestFixture]
[NonParallelizable]
[Category("Cgroups")]
public sealed class ContainerResourceLimitTests : EngineFixture
{

    [Test]
    public async Task A_memory_limit_oom_kills_a_larger_allocation_with_137()
    {
        // dd allocates its 64 MiB block and touches it while reading: twice the 32 MiB limit.
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"] },
            new HostConfig { Memory = 32 * 1024 * 1024 });
        Assert.That(run.ExitCode, Is.EqualTo(137));
        Assert.That(run.Exit.OOMKilled, Is.True);
        Assert.That(run.Container.State.OOMKilled, Is.True);
    }

    [Test]
    public async Task The_same_allocation_fits_without_a_limit()
    {
        var run = await Engine.RunAsync("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Exit.OOMKilled, Is.False);
    }

    [Test]
    public async Task A_pids_limit_makes_fork_fail()
    {
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "for i in $(seq 20); do sleep 5 & done 2>&1; echo forked; kill $(jobs -p) 2>/dev/null; true"] },
            new HostConfig { PidsLimit = 10 });
        Assert.That(run.Stdout + run.Stderr, Does.Contain("can't fork").IgnoreCase.Or.Contain("Resource temporarily unavailable"));
    }

    [Test]
    public async Task A_cpus_limit_holds_a_busy_loop_near_its_share()
    {
        var container = await Engine.StartAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "while :; do :; done"] },
            new HostConfig { NanoCpus = 200_000_000 });
        var cgroup = Engine.Engine.Cgroups.Open(container.Id)!;
        await Task.Delay(200);

        long before = cgroup.ReadStats().CpuUsageNanoseconds ?? 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(2000);
        long used = (cgroup.ReadStats().CpuUsageNanoseconds ?? 0) - before;
        double share = used / (clock.Elapsed.TotalMilliseconds * 1_000_000);
        var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        Engine.Containers.Kill(container.Id);
        await exit;

        TestContext.Out.WriteLine($"busy loop in a container with --cpus 0.2 used {share:P0} of one CPU");
        Assert.That(used, Is.GreaterThan(0));
        Assert.That(share, Is.LessThan(0.4));
    }

    [Test]
    public async Task The_container_sees_its_limits_in_a_read_only_cgroup_mount()
    {
        // v2: one cgroup2 mount whose root is the container's cgroup; v1: one mount per hierarchy, memory among them.
        string memoryMax = HostCgroupLayout.IsUnified ? "/sys/fs/cgroup/memory.max" : "/sys/fs/cgroup/memory/memory.limit_in_bytes";
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", $"cat {memoryMax}; grep ' /sys/fs/cgroup[/ ]' /proc/self/mountinfo; touch /sys/fs/cgroup/x 2>/dev/null || echo read-only"] },
            new HostConfig { Memory = 64 * 1024 * 1024 });
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(lines[0], Is.EqualTo("67108864"), run.Stdout);
        Assert.That(lines[^1], Is.EqualTo("read-only"));
        var cgroupMounts = lines[1..^1].Where(l => l.Contains(" - cgroup")).ToList();
        Assert.That(cgroupMounts, Is.Not.Empty, run.Stdout);
        Assert.That(cgroupMounts, Has.All.Matches<string>(l => l.Split(' ')[5].Split(',').Contains("ro")), run.Stdout);
        if (HostCgroupLayout.IsUnified)
            Assert.That(cgroupMounts.Single(), Does.Contain(" /sys/fs/cgroup ").And.Contain(" - cgroup2 "), run.Stdout);
        else
            Assert.That(cgroupMounts, Has.Some.Matches<string>(l => l.Contains(" /sys/fs/cgroup/memory ") && l.Contains(" - cgroup ")), run.Stdout);
    }

    [Test]
    public async Task The_container_sees_its_own_cgroup_as_the_root()
    {
        var run = await Engine.RunAsync(new ContainerConfig { Image = "busybox", Cmd = ["cat", "/proc/self/cgroup"] }, new HostConfig { Memory = 64 * 1024 * 1024 });
        var paths = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 3)[2]).ToList();
        Assert.That(paths, Is.Not.Empty);
        Assert.That(paths, Has.All.EqualTo("/"), "cgroup namespace rooted at the container's cgroup");
    }
}
