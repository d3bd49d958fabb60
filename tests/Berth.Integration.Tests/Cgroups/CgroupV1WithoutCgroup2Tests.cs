using Berth.Engine.Cgroups;
using Berth.Engine.Host;
using NUnit.Framework;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>
/// The v1 driver as on a v1 host without a cgroup2 mount: no <c>cgroup.kill</c>, so kill is freeze, SIGKILL, thaw.
/// </summary>
[TestFixture]
[Category("CgroupV1")]
public sealed class CgroupV1WithoutCgroup2Tests : CgroupV1DriverTests
{
    protected override ICgroupDriver MakeDriver(CgroupDriverOptions options)
    {
        var hierarchies = CgroupHierarchy.Discover(MountInfo.ReadSelf(), File.ReadAllText("/proc/self/cgroup"));
        var driver = new CgroupV1Manager(hierarchies.Where(h => h.Version == 1).ToList(), unified: null, options);
        Assert.That(driver.Description, Is.EqualTo("cgroupfs v1"));
        return driver;
    }
}
