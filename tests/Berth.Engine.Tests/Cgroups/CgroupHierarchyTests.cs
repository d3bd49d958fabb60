using Berth.Engine.Cgroups;
using Berth.Engine.Host;
using NUnit.Framework;

namespace Berth.Engine.Tests.Cgroups;

public sealed class CgroupHierarchyTests
{
    // /proc/self/mountinfo and /proc/self/cgroup of the hybrid development host (notes §1.2).
    private const string HybridMounts = """
        23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string HybridCgroup = """
        9:name=systemd:/
        8:pids:/
        7:blkio:/
        6:freezer:/
        5:devices:/
        4:memory:/process_api/b9c8d678e9b7b8e3ec327a78a82a90e0
        3:cpuset:/
        2:cpuacct:/
        1:cpu:/
        0::/
        """;

    private static IReadOnlyList<CgroupHierarchy> Discover(string mounts, string cgroup) =>
        CgroupHierarchy.Discover(MountInfo.Parse(mounts), cgroup);

    [Test]
    public void HybridHostResolvesEachHierarchyOnItsOwn()
    {
        var hierarchies = Discover(HybridMounts, HybridCgroup);

        Assert.That(hierarchies.Select(h => h.Name), Is.EqualTo(new[]
        {
            "name=systemd", "pids", "blkio", "freezer", "devices", "memory", "cpuset", "cpuacct", "cpu", "cgroup2",
        }));
        CgroupHierarchy memory = hierarchies.Single(h => h.Has("memory"));
        Assert.Multiple(() =>
        {
            Assert.That(memory.Version, Is.EqualTo(1));
            Assert.That(memory.Id, Is.EqualTo(4));
            Assert.That(memory.OwnCgroup, Is.EqualTo("/process_api/b9c8d678e9b7b8e3ec327a78a82a90e0"));
            Assert.That(memory.OwnDirectory, Is.EqualTo("/sys/fs/cgroup/memory/process_api/b9c8d678e9b7b8e3ec327a78a82a90e0"));
            Assert.That(hierarchies.Single(h => h.Has("pids")).OwnDirectory, Is.EqualTo("/sys/fs/cgroup/pids"));
            CgroupHierarchy unified = hierarchies.Single(h => h.Version == 2);
            Assert.That(unified.OwnDirectory, Is.EqualTo("/sys/fs/cgroup/unified"));
            Assert.That(unified.Controllers, Is.Empty);
        });
    }

    [Test]
    public void PureV2Host()
    {
        var hierarchies = Discover(
            "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot",
            "0::/system.slice/berthd.service\n");

        Assert.That(hierarchies, Has.Count.EqualTo(1));
        Assert.That(hierarchies[0].Version, Is.EqualTo(2));
        Assert.That(hierarchies[0].OwnDirectory, Is.EqualTo("/sys/fs/cgroup/system.slice/berthd.service"));
    }

    [Test]
    public void CoMountedCpuAndCpuacctAreOneHierarchy()
    {
        var hierarchies = Discover(
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n" +
            "33 31 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
            "4:memory:/docker-host\n2:cpu,cpuacct:/docker-host\n");

        Assert.That(hierarchies, Has.Count.EqualTo(2));
        CgroupHierarchy cpu = hierarchies.Single(h => h.Has("cpu"));
        Assert.That(cpu.Has("cpuacct"), Is.True);
        Assert.That(cpu.Name, Is.EqualTo("cpu,cpuacct"));
        Assert.That(cpu.OwnDirectory, Is.EqualTo("/sys/fs/cgroup/cpu,cpuacct/docker-host"));
    }

    [Test]
    public void MountWhoseRootIsNotSlashShiftsThePath()
    {
        var hierarchies = Discover(
            "35 31 0:32 /process_api /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
            "4:memory:/process_api/abc\n");

        Assert.That(hierarchies.Single().OwnDirectory, Is.EqualTo("/sys/fs/cgroup/memory/abc"));
    }

    [Test]
    public void PicksTheMountThatShowsTheOwnCgroup()
    {
        var hierarchies = Discover(
            "35 31 0:32 /other /mnt/other rw - cgroup cgroup rw,memory\n" +
            "36 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
            "4:memory:/process_api/abc\n");

        Assert.That(hierarchies.Single().OwnDirectory, Is.EqualTo("/sys/fs/cgroup/memory/process_api/abc"));
    }

    [Test]
    public void OwnCgroupOutsideTheMountRootFailsClearly()
    {
        Assert.That(
            () => Discover("35 31 0:32 /process_api/other /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory", "4:memory:/process_api/abc\n"),
            Throws.TypeOf<CgroupException>().With.Message.Contains("outside every mount").And.Message.Contains("/process_api/abc"));
        // A root that is only a name prefix is not an ancestor.
        Assert.That(
            () => Discover("35 31 0:32 /process /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory", "4:memory:/process_api\n"),
            Throws.TypeOf<CgroupException>());
    }

    [Test]
    public void CgroupNamespacePathsWithDotDotAreRefused() =>
        Assert.That(
            () => Discover("35 31 0:32 /../../.. /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory", "4:memory:/../x\n"),
            Throws.TypeOf<CgroupException>().With.Message.Contains("/../x"));

    [Test]
    public void UnmountedHierarchiesAreLeftOut()
    {
        var hierarchies = Discover("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory", HybridCgroup);

        Assert.That(hierarchies.Select(h => h.Name), Is.EqualTo(new[] { "memory" }));
    }

    [Test]
    public void ReadsTheRealHost()
    {
        var hierarchies = CgroupHierarchy.Discover(MountInfo.ReadSelf(), File.ReadAllText("/proc/self/cgroup"));

        Assert.That(hierarchies, Is.Not.Empty);
        Assert.That(hierarchies.Select(h => h.OwnDirectory), Has.All.Matches<string>(Directory.Exists));
    }
}
