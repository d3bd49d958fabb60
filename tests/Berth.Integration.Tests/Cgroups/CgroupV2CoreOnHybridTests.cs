using Berth.Engine.Cgroups;
using Berth.Engine.Host;
using NUnit.Framework;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>
/// The v2 driver against the controller-less cgroup2 mount of a hybrid host (<c>/sys/fs/cgroup/unified</c>), seen through
/// a proc view that shows only that mount. No limits are possible there, but <c>cgroup.freeze</c>, <c>cgroup.kill</c>,
/// <c>populated</c> and removal are the real kernel's, so the v2 container code runs here as well as in the v2 VM.
/// </summary>
[TestFixture]
[Category("CgroupV1")]
public sealed class CgroupV2CoreOnHybridTests : CgroupDriverScenarios
{
    private const string Unified = "/sys/fs/cgroup/unified";

    protected override int ExpectedVersion => 2;

    protected override string? WhyNoControllers => $"{Unified} carries no controllers";

    protected override string? WhyNotThisHost() =>
        MountInfo.ReadSelf().Any(m => m.MountPoint == Unified && m.FileSystemType == "cgroup2") ? null : $"no cgroup2 mount at {Unified}";

    protected override ICgroupDriver MakeDriver(CgroupDriverOptions options)
    {
        string proc = Directory.CreateTempSubdirectory("berth-proc-view-").FullName;
        DeleteAfterTest(proc);
        Directory.CreateDirectory(Path.Combine(proc, "self"));
        string mount = File.ReadAllLines("/proc/self/mountinfo").Single(l => MountInfo.ParseLine(l) is { MountPoint: Unified, FileSystemType: "cgroup2" });
        string own = File.ReadAllLines("/proc/self/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(proc, "self", "mountinfo"), mount + "\n");
        File.WriteAllText(Path.Combine(proc, "self", "cgroup"), own + "\n");
        return CgroupDriverDetector.Detect(new CgroupDriverOptions { ParentName = options.ParentName, ProcRoot = proc });
    }

    protected override IEnumerable<string> EngineDirectories(ICgroupDriver driver) => [((CgroupV2Manager)driver).Hierarchy.OwnDirectory];

    [Test]
    public void ALimitWithoutItsControllerIsRefused() =>
        Assert.That(() => Create(new CgroupLimits(MemoryBytes: 32 << 20)),
            Throws.TypeOf<CgroupException>().With.Message.Contains("memory"));
}
