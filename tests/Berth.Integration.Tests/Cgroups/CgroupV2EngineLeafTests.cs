using System.Diagnostics;
using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>
/// The v2 driver in a non-root cgroup that holds the engine, as under a systemd unit with <c>Delegate=yes</c>: the
/// no-internal-process rule makes it move itself, and only itself, into the leaf <c>berthd</c> before it enables
/// controllers, and container cgroups become siblings of that leaf. The test process plays the engine: it moves itself
/// into a fresh child of its own cgroup (its "home") and back afterwards. Unified hosts only (the v2 VM lane).
/// </summary>
[TestFixture]
[Category("CgroupV2")]
[NonParallelizable]
public sealed class CgroupV2EngineLeafTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private string _origin = "";
    private string _home = "";
    private string _parentName = "";
    private readonly List<ContainerCgroup> _cgroups = [];
    private ICgroupDriver? _driver;
    private Process? _bystander;

    private static string OwnCgroup() =>
        File.ReadAllLines("/proc/self/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];

    [SetUp]
    public void SetUp()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Ignore("needs root");
        if (!HostCgroupLayout.IsUnified)
            Assert.Ignore($"cgroup v2 not available: /sys/fs/cgroup is {HostCgroupLayout.SysFsCgroupType ?? "not mounted"}, not cgroup2");
        _parentName = $"berth-test-{Guid.NewGuid():N}"[..27];
        _origin = "/sys/fs/cgroup" + OwnCgroup().TrimEnd('/');
        _home = Path.Combine(_origin, $"berth-test-home-{Guid.NewGuid():N}"[..28]);
        Directory.CreateDirectory(_home);
        File.WriteAllText(Path.Combine(_home, "cgroup.procs"), Environment.ProcessId.ToString());
        Assert.That(OwnCgroup(), Is.EqualTo(_home["/sys/fs/cgroup".Length..]));
    }

    [TearDown]
    public async Task TearDown()
    {
        // NUnit shares one fixture instance between the tests: take this test's state and reset it.
        (string home, ICgroupDriver? driver, Process? bystander) = (_home, _driver, _bystander);
        var cgroups = _cgroups.ToList();
        (_home, _driver, _bystander) = ("", null, null);
        _cgroups.Clear();
        if (home.Length == 0)
            return;
        var problems = new List<string>();
        void Try(string what, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                problems.Add($"{what}: {e.Message}");
            }
        }
        foreach (ContainerCgroup cgroup in cgroups)
        {
            try
            {
                await cgroup.DestroyAsync(Patience);
            }
            catch (Exception e)
            {
                problems.Add(e.Message);
            }
        }
        if (driver is not null)
            Try("remove the cgroup parent", () => driver.RemoveParentIfEmpty());
        if (bystander is not null)
        {
            try
            {
                bystander.Kill();
                await bystander.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
            }
            catch (Exception e)
            {
                problems.Add($"stop the bystander: {e.Message}");
            }
            bystander.Dispose();
        }
        Try("move the test process back", () => File.WriteAllText(Path.Combine(_origin, "cgroup.procs"), Environment.ProcessId.ToString()));
        foreach (string directory in new[] { Path.Combine(home, "berthd"), Path.Combine(home, _parentName), home }.Where(Directory.Exists))
            Try($"rmdir {directory}", () => Directory.Delete(directory));
        Assert.That(problems, Is.Empty, "cleanup left something behind");
        Assert.That(Directory.Exists(home), Is.False);
    }

    [Test]
    public void TheEngineMovesItselfIntoALeafAndItsContainersBecomeSiblingsOfIt()
    {
        _driver = CgroupDriverDetector.Detect(new CgroupDriverOptions { ParentName = _parentName });
        Assert.That(_driver.Version, Is.EqualTo(2));

        var cgroup = (CgroupV2ContainerCgroup)_driver.Create("ctr-leaf", new CgroupLimits(MemoryBytes: 32 << 20, PidsLimit: 10, NanoCpus: 200_000_000));
        _cgroups.Add(cgroup);

        string home = _home["/sys/fs/cgroup".Length..];
        Assert.That(OwnCgroup(), Is.EqualTo(home + "/berthd"), "the engine moved itself into its leaf");
        Assert.That(File.ReadAllText(Path.Combine(_home, "cgroup.procs")), Is.Empty, "nothing is left in the cgroup that distributes controllers");
        Assert.That(File.ReadAllText(Path.Combine(_home, "cgroup.subtree_control")).Split(' ', '\n'), Does.Contain("memory").And.Contain("pids").And.Contain("cpu"));
        Assert.That(File.ReadAllText(Path.Combine(_home, _parentName, "cgroup.subtree_control")).Split(' ', '\n'), Does.Contain("memory").And.Contain("pids").And.Contain("cpu"));
        Assert.That(cgroup.Directory, Is.EqualTo(Path.Combine(_home, _parentName, "ctr-leaf")));
        Assert.That(cgroup.Path, Is.EqualTo($"{home}/{_parentName}/ctr-leaf"));
        Assert.That(File.ReadAllText(Path.Combine(cgroup.Directory, "memory.max")).Trim(), Is.EqualTo("33554432"));
        Assert.That(File.ReadAllText(Path.Combine(cgroup.Directory, "pids.max")).Trim(), Is.EqualTo("10"));
        Assert.That(File.ReadAllText(Path.Combine(cgroup.Directory, "cpu.max")).Trim(), Is.EqualTo("20000 100000"));

        // An engine started again from its leaf (a restart) finds the same home and the same containers.
        ICgroupDriver again = CgroupDriverDetector.Detect(new CgroupDriverOptions { ParentName = _parentName });
        Assert.That(again.ListContainerIds(), Is.EqualTo(new[] { "ctr-leaf" }));
        again.Create("ctr-second", new CgroupLimits(PidsLimit: 5));
        _cgroups.Add(again.Open("ctr-second")!);
        Assert.That(OwnCgroup(), Is.EqualTo(home + "/berthd"));
        Assert.That(Directory.Exists(Path.Combine(_home, "berthd", _parentName)), Is.False, "containers never nest below the engine's leaf");
    }

    [Test]
    public void AProcessTheEngineDidNotStartIsNeverMovedAndTheCreateSaysWhy()
    {
        _bystander = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        File.WriteAllText(Path.Combine(_home, "cgroup.procs"), _bystander.Id.ToString());
        _driver = CgroupDriverDetector.Detect(new CgroupDriverOptions { ParentName = _parentName });

        Assert.That(() => _driver.Create("ctr-refused", new CgroupLimits(MemoryBytes: 32 << 20)),
            Throws.TypeOf<CgroupException>().With.Message.Contains("processes the engine did not start").And.Message.Contains(_bystander.Id.ToString()));

        Assert.That(File.ReadAllText(Path.Combine(_home, "cgroup.procs")).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EquivalentTo(new[] { Environment.ProcessId.ToString(), _bystander.Id.ToString() }), "nobody was moved");
        Assert.That(Directory.Exists(Path.Combine(_home, "berthd")), Is.False);
    }
}
