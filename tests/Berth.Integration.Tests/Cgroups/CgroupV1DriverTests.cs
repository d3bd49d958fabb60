using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>The v1 driver on a v1 or hybrid host (the development and CI host kind).</summary>
[TestFixture]
[Category("CgroupV1")]
public class CgroupV1DriverTests : CgroupDriverScenarios
{
    protected override int ExpectedVersion => 1;

    protected override string? WhyNotThisHost() =>
        HostCgroupLayout.HasV1 ? null : $"no cgroup v1 hierarchies: /sys/fs/cgroup is {HostCgroupLayout.SysFsCgroupType ?? "not mounted"}";

    protected override IEnumerable<string> EngineDirectories(ICgroupDriver driver)
    {
        var manager = (CgroupV1Manager)driver;
        return manager.Hierarchies.Append(manager.Unified).OfType<CgroupHierarchy>().Select(h => h.OwnDirectory);
    }

    [Test]
    public void TheMemoryCgroupNestsBelowTheEngineOwnMemoryCgroup()
    {
        var cgroup = (CgroupV1ContainerCgroup)Create(new CgroupLimits(MemoryBytes: 32 << 20));
        string ownMemory = File.ReadAllLines("/proc/self/cgroup").Single(l => l.Split(':')[1] == "memory").Split(':', 3)[2];

        Assert.That(cgroup.DirectoryOf("memory"), Does.StartWith($"/sys/fs/cgroup/memory{ownMemory.TrimEnd('/')}/berth-test-"));
        Assert.That(File.ReadAllText(Path.Combine(cgroup.DirectoryOf("memory")!, "memory.limit_in_bytes")).Trim(), Is.EqualTo("33554432"));
        if (File.Exists(Path.Combine(cgroup.DirectoryOf("memory")!, "memory.memsw.limit_in_bytes")))
            Assert.That(File.ReadAllText(Path.Combine(cgroup.DirectoryOf("memory")!, "memory.memsw.limit_in_bytes")).Trim(), Is.EqualTo("67108864"));
        Assert.That(File.ReadAllText(Path.Combine(cgroup.DirectoryOf("cpuset")!, "cpuset.cpus")).Trim(), Is.Not.Empty);
    }

    [Test]
    public async Task TheDeviceRulesDenyWhatDockerDenies()
    {
        var cgroup = (CgroupV1ContainerCgroup)Create(new CgroupLimits());
        string list = File.ReadAllText(Path.Combine(cgroup.DirectoryOf("devices")!, "devices.list"));
        Assert.That(list, Does.Contain("c 1:3 rwm").And.Contain("c 136:* rwm").And.Not.Contain("a *:* rwm"));

        // /dev/null (1:3) is allowed; /dev/kmsg (1:11) is not.
        StartedProcess probe = await StartIn(cgroup, "echo ok > /dev/null && echo null-ok; head -c1 /dev/kmsg > /dev/null 2>&1 || echo kmsg-denied");
        await probe.Process.WaitForExitAsync();
        Assert.That(probe.Output, Does.Contain("null-ok").And.Contain("kmsg-denied"));
    }
}
