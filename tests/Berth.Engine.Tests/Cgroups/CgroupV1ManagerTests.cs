using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Engine.Tests.Cgroups;

public sealed class CgroupV1ManagerTests
{
    private const string Id = "c0ffee";

    private FakeCgroupfs _fake = null!;

    [SetUp]
    public void SetUp() => _fake = FakeCgroupfs.Hybrid();

    [TearDown]
    public void TearDown() => _fake.Dispose();

    private string MemoryParent => Path.Combine(_fake.Mount("memory"), "process_api", "abc", "berth");

    private ICgroupDriver Detect(string parentName = "berth") => CgroupDriverDetector.Detect(_fake.Options(parentName));

    [Test]
    public void DetectsTheHybridHost()
    {
        ICgroupDriver driver = Detect();

        Assert.That(driver, Is.TypeOf<CgroupV1Manager>());
        Assert.That(driver.Version, Is.EqualTo(1));
        Assert.That(driver.Description, Is.EqualTo("cgroupfs v1 (hybrid)"));
        Assert.That(((CgroupV1Manager)driver).Hierarchies.Select(h => h.Name), Is.EquivalentTo(CgroupV1Manager.ManagedControllers));
    }

    [Test]
    public void CreatesBelowTheEngineCgroupOfEveryHierarchy()
    {
        var cgroup = (CgroupV1ContainerCgroup)Detect().Create(Id, new CgroupLimits());

        string[] expected =
        [
            .. ((string[])["cpu", "cpuacct", "cpuset", "devices", "freezer", "blkio", "pids", "unified"]).Select(h => Path.Combine(_fake.Mount(h), "berth", Id, "cgroup.procs")),
            Path.Combine(MemoryParent, Id, "cgroup.procs"),
        ];
        Assert.That(cgroup.ProcsFiles, Is.EquivalentTo(expected));
        Assert.That(cgroup.ProcsFiles[^1], Is.EqualTo(Path.Combine(_fake.Mount("unified"), "berth", Id, "cgroup.procs")), "the cgroup2 one comes last");
        Assert.That(cgroup.ProcsFiles, Has.All.Matches<string>(File.Exists));
        Assert.That(cgroup.Path, Is.EqualTo($"/process_api/abc/berth/{Id}"));
        Assert.That(Directory.Exists(Path.Combine(_fake.Mount("systemd"), "berth")), Is.False, "named hierarchies are not managed");
    }

    [Test]
    public void MemoryLimitIsWrittenBeforeTheDefaultSwapLimitOfTwiceTheMemory()
    {
        Detect().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20));

        var memoryWrites = _fake.Writes.Where(w => Path.GetFileName(w.Path).StartsWith("memory.", StringComparison.Ordinal))
            .Select(w => $"{Path.GetFileName(w.Path)}={w.Value}");
        Assert.That(memoryWrites, Is.EqualTo(new[] { "memory.limit_in_bytes=33554432", "memory.memsw.limit_in_bytes=67108864" }));
        Assert.That(_fake.Read(Path.Combine(MemoryParent, Id, "memory.memsw.limit_in_bytes")), Is.EqualTo("67108864"));
    }

    [Test]
    public void UnlimitedSwapIsWrittenFirst()
    {
        Detect().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20, MemorySwapBytes: -1));

        Assert.That(_fake.Writes.Select(w => Path.GetFileName(w.Path)).Where(n => n.StartsWith("memory.", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "memory.memsw.limit_in_bytes", "memory.limit_in_bytes" }));
    }

    [Test]
    public void WithoutSwapAccountingOnlyMemoryIsLimitedAndAnExplicitSwapLimitIsRefused()
    {
        using var fake = new FakeCgroupfs { SwapAccounting = false };
        fake.AddV1("memory", 4, "/").Finish();
        ICgroupDriver driver = CgroupDriverDetector.Detect(fake.Options());

        driver.Create("a", new CgroupLimits(MemoryBytes: 32 << 20));
        Assert.That(fake.WritesTo("memory.limit_in_bytes"), Is.EqualTo(new[] { "33554432" }));
        Assert.That(fake.WritesTo("memory.memsw.limit_in_bytes"), Is.Empty);

        Assert.That(() => driver.Create("b", new CgroupLimits(MemoryBytes: 32 << 20, MemorySwapBytes: 64 << 20)),
            Throws.TypeOf<CgroupException>().With.Message.Contains("memory.memsw.limit_in_bytes"));
        Assert.That(Directory.Exists(Path.Combine(fake.Mount("memory"), "berth", "b")), Is.False);
    }

    [Test]
    public void CpuQuotaFollowsDockerCpus()
    {
        Detect().Create(Id, new CgroupLimits(NanoCpus: 1_500_000_000, CpuShares: 512));

        string cpu = Path.Combine(_fake.Mount("cpu"), "berth", Id);
        Assert.That(_fake.Read(Path.Combine(cpu, "cpu.cfs_period_us")), Is.EqualTo("100000"));
        Assert.That(_fake.Read(Path.Combine(cpu, "cpu.cfs_quota_us")), Is.EqualTo("150000"));
        Assert.That(_fake.Read(Path.Combine(cpu, "cpu.shares")), Is.EqualTo("512"));
        Assert.That(_fake.Writes.Select(w => Path.GetFileName(w.Path)).Where(n => n.StartsWith("cpu.cfs", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "cpu.cfs_period_us", "cpu.cfs_quota_us" }));
    }

    [TestCase(10L, "10")]
    [TestCase(0L, "max")]
    [TestCase(-1L, "max")]
    public void PidsLimit(long limit, string expected)
    {
        Detect().Create(Id, new CgroupLimits(PidsLimit: limit));

        Assert.That(_fake.Read(Path.Combine(_fake.Mount("pids"), "berth", Id, "pids.max")), Is.EqualTo(expected));
    }

    [Test]
    public void CpusetIsCopiedFromTheParentIntoEachNewLevel()
    {
        Detect().Create(Id, new CgroupLimits());

        string parent = Path.Combine(_fake.Mount("cpuset"), "berth");
        foreach (string level in (string[])[parent, Path.Combine(parent, Id)])
        {
            Assert.That(_fake.Read(Path.Combine(level, "cpuset.cpus")), Is.EqualTo("0-1"), level);
            Assert.That(_fake.Read(Path.Combine(level, "cpuset.mems")), Is.EqualTo("0"), level);
        }
    }

    [Test]
    public void CpusetCpusIsAppliedAfterTheCopy()
    {
        Detect().Create(Id, new CgroupLimits(CpusetCpus: "1"));

        string container = Path.Combine(_fake.Mount("cpuset"), "berth", Id);
        Assert.That(_fake.Read(Path.Combine(container, "cpuset.cpus")), Is.EqualTo("1"));
        Assert.That(_fake.Read(Path.Combine(container, "cpuset.mems")), Is.EqualTo("0"));
    }

    [Test]
    public void DockerDeviceRulesAreWrittenInOrder()
    {
        Detect().Create(Id, new CgroupLimits());

        var written = _fake.Writes.Where(w => Path.GetFileName(w.Path) is "devices.allow" or "devices.deny")
            .Select(w => $"{Path.GetFileName(w.Path)} {w.Value}");
        Assert.That(written, Is.EqualTo(new[]
        {
            "devices.deny a *:* rwm",
            "devices.allow c 1:5 rwm",
            "devices.allow c 1:3 rwm",
            "devices.allow c 1:9 rwm",
            "devices.allow c 1:8 rwm",
            "devices.allow c 5:0 rwm",
            "devices.allow c 5:1 rwm",
            "devices.deny c 10:229 rwm",
            "devices.allow c *:* m",
            "devices.allow b *:* m",
            "devices.allow c 1:7 rwm",
            "devices.allow c 5:2 rwm",
            "devices.allow c 136:* rwm",
        }));
    }

    [Test]
    public void CoMountedCpuAndCpuacctShareOneDirectory()
    {
        using var fake = new FakeCgroupfs();
        fake.AddV1("cpu,cpuacct", 2, "/host").AddV1("memory", 4, "/host").Finish();

        var cgroup = (CgroupV1ContainerCgroup)CgroupDriverDetector.Detect(fake.Options()).Create(Id, new CgroupLimits(NanoCpus: 200_000_000));

        string cpu = Path.Combine(fake.Mount("cpu,cpuacct"), "host", "berth", Id);
        Assert.That(cgroup.DirectoryOf("cpu"), Is.EqualTo(cpu));
        Assert.That(cgroup.DirectoryOf("cpuacct"), Is.EqualTo(cpu));
        Assert.That(cgroup.ProcsFiles, Has.Count.EqualTo(2));
        Assert.That(fake.Read(Path.Combine(cpu, "cpu.cfs_quota_us")), Is.EqualTo("20000"));
        File.WriteAllText(Path.Combine(cpu, "cpuacct.usage"), "123456789\n");
        Assert.That(cgroup.ReadStats().CpuUsageNanoseconds, Is.EqualTo(123456789));
        Assert.That(CgroupDriverDetector.Detect(fake.Options()).Description, Is.EqualTo("cgroupfs v1"));
    }

    [Test]
    public void AMissingControllerForARequestedLimitIsAClearErrorAndCreatesNothing()
    {
        using var fake = new FakeCgroupfs();
        fake.AddV1("memory", 4, "/").AddV1("cpu", 1, "/").Finish();
        ICgroupDriver driver = CgroupDriverDetector.Detect(fake.Options());
        var before = fake.AllDirectories();

        Assert.That(() => driver.Create(Id, new CgroupLimits(PidsLimit: 10)),
            Throws.TypeOf<CgroupException>().With.Message.Contains("pids"));
        Assert.That(fake.AllDirectories(), Is.EqualTo(before));

        driver.Create(Id, new CgroupLimits(MemoryBytes: 64 << 20));
        Assert.That(driver.ListContainerIds(), Is.EqualTo(new[] { Id }));
    }

    [Test]
    public void StatsAndOomKillComeFromTheRightFiles()
    {
        var cgroup = Detect().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20, PidsLimit: 10));
        string memory = Path.Combine(MemoryParent, Id);

        Assert.That(cgroup.WasOomKilled(), Is.False);
        File.WriteAllText(Path.Combine(memory, "memory.failcnt"), "0\n");
        File.WriteAllText(Path.Combine(memory, "memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        File.WriteAllText(Path.Combine(memory, "memory.usage_in_bytes"), "1048576\n");
        File.WriteAllText(Path.Combine(_fake.Mount("pids"), "berth", Id, "pids.current"), "3\n");
        File.WriteAllText(Path.Combine(_fake.Mount("cpuacct"), "berth", Id, "cpuacct.usage"), "5000\n");

        Assert.That(cgroup.WasOomKilled(), Is.True);
        Assert.That(cgroup.ReadStats(), Is.EqualTo(new CgroupStats(1048576, 32 << 20, 5000, 3, 10)));
    }

    [Test]
    public void StatDetailsComeFromMemoryStatCpuacctAndCpuStat()
    {
        var cgroup = Detect().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20));
        string memory = Path.Combine(MemoryParent, Id);
        string cpuacct = Path.Combine(_fake.Mount("cpuacct"), "berth", Id);
        string cpu = Path.Combine(_fake.Mount("cpu"), "berth", Id);
        File.WriteAllText(Path.Combine(memory, "memory.stat"), "cache 4096\nrss 8192\ntotal_inactive_file 1024\n");
        File.WriteAllText(Path.Combine(memory, "memory.max_usage_in_bytes"), "65536\n");
        File.WriteAllText(Path.Combine(memory, "memory.failcnt"), "2\n");
        File.WriteAllText(Path.Combine(cpuacct, "cpuacct.stat"), "user 30\nsystem 5\n");
        File.WriteAllText(Path.Combine(cpuacct, "cpuacct.usage_percpu"), "100 200 \n");
        File.WriteAllText(Path.Combine(cpu, "cpu.stat"), "nr_periods 10\nnr_throttled 3\nthrottled_time 777\n");

        var details = cgroup.ReadStatDetails();

        Assert.That(details.MemoryStat, Is.EquivalentTo(new Dictionary<string, long> { ["cache"] = 4096, ["rss"] = 8192, ["total_inactive_file"] = 1024 }));
        Assert.That(details.MemoryMaxUsageBytes, Is.EqualTo(65536));
        Assert.That(details.MemoryFailcnt, Is.EqualTo(2));
        Assert.That(details.CpuUserNanoseconds, Is.EqualTo(300_000_000), "USER_HZ ticks to ns");
        Assert.That(details.CpuSystemNanoseconds, Is.EqualTo(50_000_000));
        Assert.That(details.PerCpuUsageNanoseconds, Is.EqualTo(new long[] { 100, 200 }));
        Assert.That((details.ThrottlingPeriods, details.ThrottledPeriods, details.ThrottledTimeNanoseconds), Is.EqualTo(((long?)10, (long?)3, (long?)777)));
    }

    [Test]
    public void UnlimitedReadsAsNull()
    {
        var stats = Detect().Create(Id, new CgroupLimits()).ReadStats();

        Assert.That(stats.MemoryLimitBytes, Is.Null);
        Assert.That(stats.PidsLimit, Is.Null);
    }

    [Test]
    public void OpenListAndExistingCgroups()
    {
        ICgroupDriver driver = Detect();
        Assert.That(driver.ListContainerIds(), Is.Empty);
        Assert.That(driver.Open(Id), Is.Null);

        driver.Create(Id, new CgroupLimits());
        driver.Create("other", new CgroupLimits());

        ICgroupDriver restarted = Detect();
        Assert.That(restarted.ListContainerIds(), Is.EqualTo(new[] { Id, "other" }));
        Assert.That(restarted.Open(Id)?.ProcsFiles, Is.EqualTo(driver.Open(Id)!.ProcsFiles));
        Assert.That(() => driver.Create(Id, new CgroupLimits()), Throws.TypeOf<CgroupException>().With.Message.Contains("already exists"));
    }

    [Test]
    public async Task DestroyOfAnAbsentCgroupIsANoOp()
    {
        var cgroup = (CgroupV1ContainerCgroup)Detect().Create(Id, new CgroupLimits());
        foreach (string directory in cgroup.Directories)
            Directory.Delete(directory, recursive: true);

        await cgroup.DestroyAsync(TimeSpan.FromSeconds(1));
        await cgroup.DestroyAsync(TimeSpan.FromSeconds(1));
        Assert.That(cgroup.Pids(), Is.Empty);
    }

    [TestCase("../escape")]
    [TestCase("..")]
    [TestCase(".")]
    [TestCase(".hidden")]
    [TestCase("a/b")]
    [TestCase("/abs")]
    [TestCase("")]
    [TestCase("white space")]
    [TestCase("nul\0byte")]
    public void InvalidIdsNeverTouchTheTree(string id)
    {
        ICgroupDriver driver = Detect();
        var before = _fake.AllDirectories();

        Assert.That(() => driver.Create(id, new CgroupLimits()), Throws.TypeOf<ArgumentException>());
        Assert.That(() => driver.Open(id), Throws.TypeOf<ArgumentException>());
        Assert.That(_fake.AllDirectories(), Is.EqualTo(before));
        Assert.That(_fake.Writes, Is.Empty);
    }

    [TestCase("../berth")]
    [TestCase(".berth")]
    [TestCase("a/b")]
    public void InvalidParentNamesAreRefused(string parentName) =>
        Assert.That(() => Detect(parentName), Throws.TypeOf<ArgumentException>());

    [Test]
    public void NoWriteEverLeavesTheEngineCgroups()
    {
        Detect().Create(Id, new CgroupLimits(MemoryBytes: 32 << 20, NanoCpus: 1_000_000_000, PidsLimit: 5, CpusetCpus: "0"));

        string[] allowed = ["cpu", "cpuacct", "cpuset", "devices", "freezer", "blkio", "pids", "unified"];
        var roots = allowed.Select(h => _fake.Mount(h) + "/berth/").Append(MemoryParent + "/").ToList();
        Assert.That(_fake.Writes, Is.Not.Empty);
        Assert.That(_fake.Writes.Select(w => w.Path), Has.All.Matches<string>(p => roots.Any(r => p.StartsWith(r, StringComparison.Ordinal))));
    }

    [Test]
    public void ConcurrentCreatesShareTheParent()
    {
        ICgroupDriver driver = Detect();

        Parallel.For(0, 16, i => driver.Create($"c{i}", new CgroupLimits(MemoryBytes: 32 << 20)));

        Assert.That(driver.ListContainerIds(), Has.Count.EqualTo(16));
    }

    [Test]
    public void DestroyThatCannotEmptyTheCgroupNamesIt()
    {
        var cgroup = (CgroupV1ContainerCgroup)Detect().Create(Id, new CgroupLimits());
        // A pid above pid_max: it never leaves the fake cgroup.procs, and kill(2) finds no such process.
        File.WriteAllText(Path.Combine(cgroup.DirectoryOf("pids")!, "cgroup.procs"), $"{int.MaxValue}\n");

        Assert.That(() => cgroup.DestroyAsync(TimeSpan.FromMilliseconds(200)),
            Throws.TypeOf<CgroupException>().With.Message.Contains($"/process_api/abc/berth/{Id}").And.Message.Contains(int.MaxValue.ToString()));
        Assert.That(_fake.WritesTo("cgroup.kill"), Is.Not.Empty.And.All.EqualTo("1"), "the hybrid host kills through cgroup2, again while processes remain");
        Assert.That(cgroup.Directories, Has.All.Matches<string>(Directory.Exists), "nothing is removed while processes remain");
    }
}
