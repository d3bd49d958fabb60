using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>The v2 driver on a unified host; on other hosts every test is ignored (they run in the pure-v2 test VM).</summary>
[TestFixture]
[Category("CgroupV2")]
public sealed class CgroupV2DriverTests : CgroupDriverScenarios
{
    protected override int ExpectedVersion => 2;

    protected override string? WhyNotThisHost() =>
        HostCgroupLayout.IsUnified ? null : $"cgroup v2 not available: /sys/fs/cgroup is {HostCgroupLayout.SysFsCgroupType ?? "not mounted"}, not cgroup2";

    protected override IEnumerable<string> EngineDirectories(ICgroupDriver driver)
    {
        var hierarchy = ((CgroupV2Manager)driver).Hierarchy;
        // After moving itself into its leaf the engine's home is the leaf's parent.
        return [hierarchy.OwnDirectory, Path.GetDirectoryName(hierarchy.OwnDirectory)!];
    }

    [Test]
    public void ControllersAreEnabledForContainers()
    {
        var cgroup = (CgroupV2ContainerCgroup)Create(new CgroupLimits(MemoryBytes: 32 << 20, PidsLimit: 10, NanoCpus: 500_000_000));

        string controllers = File.ReadAllText(Path.Combine(cgroup.Directory, "cgroup.controllers"));
        Assert.That(controllers.Split(' ', '\n'), Does.Contain("memory").And.Contain("pids").And.Contain("cpu"));
        Assert.That(File.ReadAllText(Path.Combine(cgroup.Directory, "cpu.max")).Trim(), Is.EqualTo("50000 100000"));
        Assert.That(File.ReadAllText(Path.Combine(cgroup.Directory, "memory.max")).Trim(), Is.EqualTo("33554432"));
    }
}
