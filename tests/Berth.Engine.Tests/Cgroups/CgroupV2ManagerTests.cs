using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Engine.Tests.Cgroups;

public sealed class CgroupV2ManagerTests
{
    private const string Id = "c0ffee";

    private static readonly int Self = Environment.ProcessId;

    private FakeCgroupfs? _fakeOrNull;

    private FakeCgroupfs _fake => _fakeOrNull!;

    [TearDown]
    public void TearDown()
    {
        _fakeOrNull?.Dispose();
        _fakeOrNull = null;
    }

    /// <summary>A unified host where the engine runs (alone, or with <paramref name="others"/>) in /system.slice/berthd.service.</summary>
    private ICgroupDriver Unified(string own = "/system.slice/berthd.service", int[]? others = null, bool isRoot = false, string controllers = "cpuset cpu io memory hugetlb pids rdma misc")
    {
        _fakeOrNull = new FakeCgroupfs();
        _fake.AddV2(own, isRoot: isRoot, controllers: controllers, procs: [Self, .. others ?? []]).Finish();
        return CgroupDriverDetector.Detect(_fake.Options());
    }

    private string Engine => Path.Combine(_fake.Mount("system.slice"), "berthd.service");

    [Test]
    public void DetectsTheUnifiedHost()
    {
        ICgroupDriver driver = Unified();

        Assert.That(driver, Is.TypeOf<CgroupV2Manager>());
        Assert.That(driver.Version, Is.EqualTo(2));
        Assert.That(driver.Description, Is.EqualTo("cgroupfs v2 (unified)"));
        Assert.That(_fake.Writes, Is.Empty, "detection writes nothing");
    }

    [Test]
    public void MovesItselfToALeafThenEnablesControllersTopDown()
    {
        var cgroup = Unified().Create(Id, new CgroupLimits());

        string berth = Path.Combine(Engine, "berth");
        Assert.That(_fake.Writes.Select(w => $"{Path.GetRelativePath(Engine, w.Path)} {w.Value}"), Is.EqualTo(new[]
        {
            $"berthd/cgroup.procs {Self}",
            "cgroup.subtree_control +cpuset",
            "cgroup.subtree_control +cpu",
            "cgroup.subtree_control +io",
            "cgroup.subtree_control +memory",
            "cgroup.subtree_control +pids",
            "berth/cgroup.subtree_control +cpuset",
            "berth/cgroup.subtree_control +cpu",
            "berth/cgroup.subtree_control +io",
            "berth/cgroup.subtree_control +memory",
            "berth/cgroup.subtree_control +pids",
        }));
        Assert.That(_fake.Read(Path.Combine(Engine, "cgroup.procs")), Is.Empty, "the engine left its cgroup");
        Assert.That(_fake.Read(Path.Combine(Engine, "berthd", "cgroup.procs")), Is.EqualTo(Self.ToString()));
        Assert.That(cgroup.ProcsFiles, Is.EqualTo(new[] { Path.Combine(berth, Id, "cgroup.procs") }));
        Assert.That(cgroup.Path, Is.EqualTo($"/system.slice/berthd.service/berth/{Id}"));
        Assert.That(_fake.Read(Path.Combine(berth, Id, "cgroup.controllers")).Split(' '), Is.EquivalentTo(CgroupV2Manager.WantedControllers));
    }

    [Test]
    public void TheParentIsSetUpOnce()
    {
        ICgroupDriver driver = Unified();
        driver.Create("a", new CgroupLimits());
        int writes = _fake.Writes.Count;

        driver.Create("b", new CgroupLimits(PidsLimit: 5));

        Assert.That(_fake.Writes.Skip(writes).Select(w => Path.GetFileName(w.Path)), Is.EqualTo(new[] { "pids.max" }));
    }

    [Test]
    public void WritesTheLimits()
    {
        Unified().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20, MemorySwapBytes: 96 << 20, NanoCpus: 1_500_000_000, CpuShares: 1024, PidsLimit: 10, CpusetCpus: "0"));

        string container = Path.Combine(Engine, "berth", Id);
        Assert.Multiple(() =>
        {
            Assert.That(_fake.Read(Path.Combine(container, "memory.max")), Is.EqualTo("33554432"));
            Assert.That(_fake.Read(Path.Combine(container, "memory.swap.max")), Is.EqualTo("67108864"), "swap alone: memsw - memory");
            Assert.That(_fake.Read(Path.Combine(container, "cpu.max")), Is.EqualTo("150000 100000"));
            Assert.That(_fake.Read(Path.Combine(container, "cpu.weight")), Is.EqualTo("39"));
            Assert.That(_fake.Read(Path.Combine(container, "pids.max")), Is.EqualTo("10"));
            Assert.That(_fake.Read(Path.Combine(container, "cpuset.cpus")), Is.EqualTo("0"));
        });
    }

    [TestCase(null, "33554432")]
    [TestCase(-1L, "max")]
    public void SwapDefaults(long? memorySwap, string expectedSwapMax)
    {
        Unified().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20, MemorySwapBytes: memorySwap));

        Assert.That(_fake.Read(Path.Combine(Engine, "berth", Id, "memory.swap.max")), Is.EqualTo(expectedSwapMax));
    }

    [Test]
    public void TheRootCgroupIsExemptSoTheEngineStaysThere()
    {
        var cgroup = Unified(own: "/", isRoot: true).Create(Id, new CgroupLimits(PidsLimit: 3));

        Assert.That(_fake.WritesTo("cgroup.procs"), Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(_fake.Mount(""), "berthd")), Is.False);
        Assert.That(cgroup.Path, Is.EqualTo($"/berth/{Id}"));
        Assert.That(_fake.Read(Path.Combine(_fake.Mount(""), "berth", Id, "pids.max")), Is.EqualTo("3"));
    }

    [Test]
    public void NeverMovesAProcessItDidNotStart()
    {
        ICgroupDriver driver = Unified(others: [1, 4242]);

        Assert.That(() => driver.Create(Id, new CgroupLimits()),
            Throws.TypeOf<CgroupException>().With.Message.Contains("did not start").And.Message.Contains("4242"));
        Assert.That(_fake.WritesTo("cgroup.procs"), Is.Empty);
        Assert.That(_fake.WritesTo("cgroup.subtree_control"), Is.Empty);
    }

    [Test]
    public void AnEngineThatAlreadyMovedItselfKeepsUsingItsHomeCgroup()
    {
        ICgroupDriver driver = Unified(own: "/system.slice/berthd.service/berthd");

        var cgroup = driver.Create(Id, new CgroupLimits());

        Assert.That(cgroup.Path, Is.EqualTo($"/system.slice/berthd.service/berth/{Id}"));
        Assert.That(cgroup.ProcsFiles.Single(), Is.EqualTo(Path.Combine(Engine, "berth", Id, "cgroup.procs")));
    }

    [Test]
    public void AControllerTheHostLacksIsAClearErrorWhenALimitNeedsIt()
    {
        ICgroupDriver driver = Unified(controllers: "cpu memory");

        Assert.That(() => driver.Create(Id, new CgroupLimits(PidsLimit: 10)),
            Throws.TypeOf<CgroupException>().With.Message.Contains("pids"));
        Assert.That(driver.ListContainerIds(), Is.Empty);
        driver.Create(Id, new CgroupLimits(MemoryBytes: 64 << 20));
        Assert.That(driver.ListContainerIds(), Is.EqualTo(new[] { Id }));
    }

    [Test]
    public void StatsOomAndFreezerFiles()
    {
        var cgroup = Unified().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20));
        string container = Path.Combine(Engine, "berth", Id);
        File.WriteAllText(Path.Combine(container, "memory.events"), "low 0\nhigh 0\nmax 62\noom 1\noom_kill 1\n");
        File.WriteAllText(Path.Combine(container, "memory.current"), "4096\n");
        File.WriteAllText(Path.Combine(container, "cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        File.WriteAllText(Path.Combine(container, "cgroup.events"), "populated 1\nfrozen 1\n");

        Assert.That(cgroup.WasOomKilled(), Is.True);
        Assert.That(cgroup.ReadStats(), Is.EqualTo(new CgroupStats(4096, 32 << 20, 1_500_000, 0, null)));
        File.WriteAllText(Path.Combine(container, "memory.stat"), "anon 100\nfile 200\ninactive_file 50\n");
        var details = cgroup.ReadStatDetails();
        Assert.That(details.MemoryStat["inactive_file"], Is.EqualTo(50));
        Assert.That((details.CpuUserNanoseconds, details.CpuSystemNanoseconds), Is.EqualTo(((long?)1_000_000, (long?)500_000)));
        Assert.That(details.PerCpuUsageNanoseconds, Is.Null);
        Assert.That(cgroup.IsFrozen, Is.True);
        cgroup.Freeze();
        Assert.That(_fake.WritesTo("cgroup.freeze"), Is.EqualTo(new[] { "1" }));
        cgroup.Thaw();
        Assert.That(_fake.Read(Path.Combine(container, "cgroup.freeze")), Is.EqualTo("0"));
    }

    [TestCase("../x")]
    [TestCase("..")]
    [TestCase(".x")]
    [TestCase("x/../../y")]
    public void InvalidIdsAreRefused(string id)
    {
        ICgroupDriver driver = Unified();

        Assert.That(() => driver.Create(id, new CgroupLimits()), Throws.TypeOf<ArgumentException>());
        Assert.That(_fake.Writes, Is.Empty);
    }

    [TestCase(2L, 1L)]
    [TestCase(1024L, 39L)]
    [TestCase(262144L, 10000L)]
    [TestCase(512L, 20L)]
    [TestCase(1L, 1L)]
    [TestCase(1_000_000L, 10000L)]
    public void SharesToWeightIsDockersConversion(long shares, long weight) =>
        Assert.That(CgroupV2Manager.SharesToWeight(shares), Is.EqualTo(weight));

    [Test]
    public void ConcurrentCreatesSetUpTheParentOnce()
    {
        ICgroupDriver driver = Unified();

        Parallel.For(0, 16, i => driver.Create($"c{i}", new CgroupLimits(PidsLimit: 20)));

        Assert.That(driver.ListContainerIds(), Has.Count.EqualTo(16));
        Assert.That(_fake.WritesTo("cgroup.subtree_control"), Has.Count.EqualTo(10));
        Assert.That(_fake.WritesTo("cgroup.procs"), Has.Count.EqualTo(1));
    }
}
