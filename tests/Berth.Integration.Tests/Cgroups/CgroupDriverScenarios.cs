using System.Diagnostics;
using System.Text;
using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>
/// What every cgroup driver must do on a real kernel, as root. Each test gets its own parent cgroup
/// (<c>berth-test-&lt;random&gt;</c>) and leaves nothing behind: TearDown kills the processes the test started,
/// destroys its cgroups and removes the parent in every hierarchy, even when the test failed.
/// </summary>
public abstract class CgroupDriverScenarios
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<Process> _processes = [];
    private readonly List<ContainerCgroup> _cgroups = [];
    private readonly List<string> _tempFiles = [];
    private string _parentName = "";

    protected ICgroupDriver Driver { get; private set; } = null!;

    /// <summary>Null when this host has the layout the fixture tests, else why not.</summary>
    protected abstract string? WhyNotThisHost();

    protected abstract int ExpectedVersion { get; }

    /// <summary>The directories that hold the per-test parent cgroup, one per managed hierarchy.</summary>
    protected abstract IEnumerable<string> EngineDirectories(ICgroupDriver driver);

    protected virtual ICgroupDriver MakeDriver(CgroupDriverOptions options) => CgroupDriverDetector.Detect(options);

    /// <summary>Null when the driver's cgroups carry the memory, pids and cpu controllers, else why not.</summary>
    protected virtual string? WhyNoControllers => null;

    private void RequireControllers()
    {
        if (WhyNoControllers is { } reason)
            Assert.Ignore(reason);
    }

    [SetUp]
    public void SetUp()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Ignore("needs root");
        if (WhyNotThisHost() is { } reason)
            Assert.Ignore(reason);
        _parentName = $"berth-test-{Guid.NewGuid():N}"[..27];
        Driver = MakeDriver(new CgroupDriverOptions { ParentName = _parentName });
        Assert.That(Driver.Version, Is.EqualTo(ExpectedVersion));
    }

    [TearDown]
    public async Task TearDown()
    {
        // Every step runs whatever failed before it: a leaked cgroup outlives the test run.
        var problems = new List<string>();
        foreach (ContainerCgroup cgroup in _cgroups)
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
        _cgroups.Clear();
        // Destroying the cgroups killed everything inside them; this stops what never joined.
        foreach (Process process in _processes)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
            }
            catch (Exception e)
            {
                problems.Add($"stopping a test process: {e.Message}");
            }
            process.Dispose();
        }
        _processes.Clear();
        if (Driver is not null)
        {
            foreach (string parent in EngineDirectories(Driver).Select(d => Path.Combine(d, _parentName)).Where(Directory.Exists))
            {
                try
                {
                    Directory.Delete(parent); // rmdir: a cgroup directory whose children are gone
                }
                catch (Exception e)
                {
                    problems.Add($"rmdir {parent}: {e.Message}");
                }
            }
        }
        foreach (string path in _tempFiles)
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            File.Delete(path);
        }
        _tempFiles.Clear();
        Assert.That(problems, Is.Empty, "cleanup left something behind");
    }

    protected ContainerCgroup Create(CgroupLimits limits)
    {
        string id = $"ctr-{Guid.NewGuid():N}"[..16];
        ContainerCgroup cgroup = Driver.Create(id, limits);
        _cgroups.Add(cgroup);
        return cgroup;
    }

    /// <summary>
    /// Starts <c>/bin/sh -c</c> that joins every cgroup of <paramref name="cgroup"/> (as the launcher will: "0" into each
    /// cgroup.procs) and then runs <paramref name="script"/>; waits until the kernel shows it in the cgroup (or it has
    /// already finished). Background children must not keep stdout/stderr open, or waiting for the exit waits for them.
    /// </summary>
    protected async Task<StartedProcess> StartIn(ContainerCgroup cgroup, string script)
    {
        string joins = string.Join(" && ", cgroup.ProcsFiles.Select(f => $"echo 0 > '{f}'"));
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"{{ {joins}; }} || exit 99\n{script}");
        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        _processes.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new StartedProcess(process, output);
        await WaitUntil(() => cgroup.Pids().Contains(process.Id) || process.HasExited, "the process to join its cgroup");
        if (process.HasExited)
            Assert.That(process.ExitCode, Is.Not.EqualTo(99), () => $"the process could not join {cgroup.Path}: {started.Output}");
        return started;
    }

    /// <summary>Deletes <paramref name="path"/> (a file or a directory tree) after the test.</summary>
    protected void DeleteAfterTest(string path) => _tempFiles.Add(path);

    protected string TempFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"berth-cgroup-test-{Guid.NewGuid():N}");
        _tempFiles.Add(path);
        _tempFiles.Add(path + ".new");
        return path;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after a generous deadline (a hang guard, not a timing assertion).</summary>
    protected static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience)
                Assert.Fail($"gave up waiting for {what}");
            await Task.Delay(10);
        }
    }

    [Test]
    public void CreatesBelowTheEngineOwnCgroupsAndNeverMovesTheEngine()
    {
        string before = File.ReadAllText("/proc/self/cgroup");
        ContainerCgroup cgroup = Create(new CgroupLimits());

        var roots = EngineDirectories(Driver).Select(d => Path.Combine(d, _parentName) + "/").ToList();
        Assert.That(cgroup.ProcsFiles, Has.All.Matches<string>(f => roots.Any(r => f.StartsWith(r, StringComparison.Ordinal)) && File.Exists(f)));
        Assert.That(Driver.ListContainerIds(), Is.EqualTo(new[] { Path.GetFileName(Path.GetDirectoryName(cgroup.ProcsFiles[0])) }));
        Assert.That(Driver.Open(Path.GetFileName(Path.GetDirectoryName(cgroup.ProcsFiles[0]))!)?.ProcsFiles, Is.EqualTo(cgroup.ProcsFiles));
        Assert.That(File.ReadAllText("/proc/self/cgroup"), Is.EqualTo(before));
    }

    [Test]
    public void LimitsReadBackInStats()
    {
        RequireControllers();
        CgroupStats stats = Create(new CgroupLimits(MemoryBytes: 32 << 20, PidsLimit: 10, NanoCpus: 500_000_000)).ReadStats();

        Assert.That(stats.MemoryLimitBytes, Is.EqualTo(32 << 20));
        Assert.That(stats.PidsLimit, Is.EqualTo(10));
        Assert.That(stats.MemoryUsageBytes, Is.Not.Null);
        Assert.That(stats.CpuUsageNanoseconds, Is.Not.Null);
    }

    [Test]
    public async Task MemoryLimitOomKillsWithExitCode137()
    {
        RequireControllers();
        ContainerCgroup cgroup = Create(new CgroupLimits(MemoryBytes: 32 << 20));
        Assert.That(cgroup.WasOomKilled(), Is.False);

        // awk doubles a string until it no longer fits: it allocates and touches far more than 32 MiB.
        StartedProcess hog = await StartIn(cgroup, """exec awk 'BEGIN { s = "xxxxxxxxxxxxxxxx"; while (1) s = s s }'""");
        await hog.Process.WaitForExitAsync(new CancellationTokenSource(Patience).Token);

        Assert.That(hog.Process.ExitCode, Is.EqualTo(137), () => hog.Output);
        Assert.That(cgroup.WasOomKilled(), Is.True);
    }

    [Test]
    public async Task PidsLimitMakesForksFail()
    {
        RequireControllers();
        ContainerCgroup cgroup = Create(new CgroupLimits(PidsLimit: 10));

        // The shell counts as one of the 10; it dies with "Cannot fork" and leaves its sleepers behind.
        StartedProcess forker = await StartIn(cgroup, "i=0; while [ $i -lt 20 ]; do i=$((i+1)); sleep 600 > /dev/null 2>&1 & done; echo all-forked");
        await forker.Process.WaitForExitAsync(new CancellationTokenSource(Patience).Token);

        Assert.That(forker.Output, Does.Not.Contain("all-forked"));
        Assert.That(forker.Output, Does.Contain("fork").IgnoreCase);
        Assert.That(cgroup.Pids(), Has.Count.InRange(1, 9));
        Assert.That(cgroup.ReadStats().PidsCurrent, Is.InRange(1, 10));
    }

    [Test]
    public async Task FreezeStopsACounterAndThawResumesIt()
    {
        ContainerCgroup cgroup = Create(new CgroupLimits());
        string counter = TempFile();
        await StartIn(cgroup, $"i=0; while :; do i=$((i+1)); echo $i > '{counter}.new'; mv '{counter}.new' '{counter}'; done");
        await WaitUntil(() => ReadCounter(counter) > 3, "the counter to count");

        cgroup.Freeze();
        Assert.That(cgroup.IsFrozen, Is.True);
        long frozenAt = ReadCounter(counter);
        await Task.Delay(300);
        Assert.That(ReadCounter(counter), Is.EqualTo(frozenAt), "a frozen loop does not count");

        cgroup.Thaw();
        Assert.That(cgroup.IsFrozen, Is.False);
        await WaitUntil(() => ReadCounter(counter) > frozenAt, "the thawed counter to count again");
    }

    [Test]
    public async Task KillAllEmptiesTheCgroup()
    {
        ContainerCgroup cgroup = Create(new CgroupLimits());
        StartedProcess sleeper = await StartIn(cgroup, "sleep 600 > /dev/null 2>&1 & sleep 600 > /dev/null 2>&1 & exec sleep 600");
        await WaitUntil(() => cgroup.Pids().Count == 3, "three sleepers");

        cgroup.KillAll();

        await WaitUntil(() => cgroup.Pids().Count == 0, "the cgroup to empty");
        await sleeper.Process.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        Assert.That(sleeper.Process.ExitCode, Is.EqualTo(137));
    }

    [Test]
    public async Task DestroyKillsWaitsAndRemovesEveryDirectory()
    {
        ContainerCgroup cgroup = Create(new CgroupLimits());
        string id = Path.GetFileName(Path.GetDirectoryName(cgroup.ProcsFiles[0]))!;
        await StartIn(cgroup, "sleep 600 > /dev/null 2>&1 & sleep 600 > /dev/null 2>&1 & exec sleep 600");

        await cgroup.DestroyAsync(Patience);

        Assert.That(cgroup.ProcsFiles.Select(Path.GetDirectoryName), Has.None.Matches<string>(Directory.Exists));
        foreach (string parent in EngineDirectories(Driver).Select(d => Path.Combine(d, _parentName)).Where(Directory.Exists))
            Assert.That(Directory.GetDirectories(parent), Is.Empty, parent);
        Assert.That(Driver.Open(id), Is.Null);
        Assert.That(Driver.ListContainerIds(), Is.Empty);
        await cgroup.DestroyAsync(Patience); // idempotent
    }

    [Test]
    public async Task DestroyRemovesAFrozenContainer()
    {
        ContainerCgroup cgroup = Create(new CgroupLimits());
        StartedProcess sleeper = await StartIn(cgroup, "sleep 600 > /dev/null 2>&1 & exec sleep 600");
        cgroup.Freeze();

        await cgroup.DestroyAsync(Patience);

        Assert.That(cgroup.ProcsFiles.Select(Path.GetDirectoryName), Has.None.Matches<string>(Directory.Exists));
        await sleeper.Process.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        Assert.That(sleeper.Process.ExitCode, Is.EqualTo(137));
    }

    [Test]
    public async Task CpuQuotaHoldsABusyLoopNearItsShare()
    {
        RequireControllers();
        ContainerCgroup cgroup = Create(new CgroupLimits(NanoCpus: 200_000_000));
        await StartIn(cgroup, "while :; do :; done");
        await Task.Delay(200);

        long before = cgroup.ReadStats().CpuUsageNanoseconds ?? 0;
        var clock = Stopwatch.StartNew();
        await Task.Delay(2000);
        long used = (cgroup.ReadStats().CpuUsageNanoseconds ?? 0) - before;
        double share = used / (clock.Elapsed.TotalMilliseconds * 1_000_000);

        TestContext.Out.WriteLine($"busy loop under --cpus 0.2 used {share:P0} of one CPU");
        Assert.That(used, Is.GreaterThan(0));
        Assert.That(share, Is.LessThan(0.4));
    }

    private static long ReadCounter(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), out long value) ? value : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
