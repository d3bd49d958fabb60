using System.Diagnostics;
using Berth.Interop;

namespace Berth.Engine.Cgroups;

/// <summary>A container's cgroup on a unified (cgroup v2) host: one directory that carries every controller.</summary>
public sealed class CgroupV2ContainerCgroup : ContainerCgroup
{
    private const int SIGKILL = 9;

    private readonly Cgroup2Directory _cgroup;

    internal CgroupV2ContainerCgroup(string containerId, string directory, string path, CgroupFiles files)
    {
        ContainerId = containerId;
        Directory = directory;
        Path = path;
        _cgroup = new Cgroup2Directory(directory, files);
    }

    public override string ContainerId { get; }

    public override string Path { get; }

    /// <summary>The container's cgroup directory.</summary>
    public string Directory { get; }

    public override IReadOnlyList<string> ProcsFiles => [File("cgroup.procs")];

    private string File(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>The <c>oom_kill</c> counter of <c>memory.events</c>.</summary>
    public override bool WasOomKilled() => CgroupFiles.ReadKey(File("memory.events"), "oom_kill") > 0;

    public override void Freeze() => _cgroup.Freeze();

    public override void Thaw() => _cgroup.Thaw();

    public override bool IsFrozen => _cgroup.IsFrozen;

    public override IReadOnlyList<int> Pids() => CgroupFiles.ReadPidsRecursive(Directory).Distinct().Order().ToList();

    /// <summary><c>cgroup.kill</c>; on kernels before 5.14, which lack it: freeze, SIGKILL every pid, thaw.</summary>
    public override void KillAll()
    {
        if (_cgroup.CanKill)
        {
            _cgroup.Kill();
            return;
        }
        if (!System.IO.Directory.Exists(Directory))
            return;
        bool frozen = false;
        try
        {
            _cgroup.Freeze();
            frozen = true;
        }
        catch (CgroupException)
        {
            // Kill anyway; DestroyAsync repeats the kill for anything that forked meanwhile.
        }
        foreach (int pid in Pids())
            Sys.Kill(pid, SIGKILL);
        if (frozen)
            _cgroup.Thaw();
    }

    public override async Task DestroyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        if (!System.IO.Directory.Exists(Directory))
            return;
        var clock = Stopwatch.StartNew();
        KillAll();
        int delayMs = 1;
        for (int round = 1; _cgroup.IsPopulated; round++)
        {
            if (clock.Elapsed > timeout)
                throw new CgroupException($"cannot remove cgroup {Path} of container {ContainerId}: processes {string.Join(", ", Pids())} are still in it after {timeout.TotalSeconds:0.#} s");
            await Task.Delay(delayMs, ct);
            delayMs = Math.Min(delayMs * 2, 50);
            if (round % 8 == 0)
                KillAll();
        }
        await CgroupFiles.RemoveTreeAsync(Directory, clock, timeout, ct);
    }

    public override CgroupStats ReadStats() =>
        new(
            CgroupFiles.ReadNumber(File("memory.current")),
            CgroupFiles.ReadNumber(File("memory.max")),
            CgroupFiles.ReadKey(File("cpu.stat"), "usage_usec") * 1000,
            CgroupFiles.ReadNumber(File("pids.current")),
            CgroupFiles.ReadNumber(File("pids.max")));

    /// <summary>memory.stat as it is; cpu.stat's user_usec, system_usec and throttling counters in nanoseconds.</summary>
    public override CgroupStatDetails ReadStatDetails()
    {
        var cpu = CgroupFiles.ReadKeys(File("cpu.stat"));
        long? Nanoseconds(string key) => cpu.TryGetValue(key, out long usec) ? usec * 1000 : null;
        return new CgroupStatDetails(
            CgroupFiles.ReadKeys(File("memory.stat")),
            CgroupFiles.ReadNumber(File("memory.peak")),
            null,
            Nanoseconds("user_usec"),
            Nanoseconds("system_usec"),
            null,
            cpu.TryGetValue("nr_periods", out long periods) ? periods : null,
            cpu.TryGetValue("nr_throttled", out long throttled) ? throttled : null,
            Nanoseconds("throttled_usec"));
    }
}
