using System.Diagnostics;
using Berth.Interop;

namespace Berth.Engine.Cgroups;

/// <summary>
/// A container's cgroups on a v1 host: one directory per mounted hierarchy, plus, on a hybrid host, one in the
/// controller-less cgroup2 mount that gives a reliable <c>cgroup.kill</c>.
/// </summary>
public sealed class CgroupV1ContainerCgroup : ContainerCgroup
{
    private const int SIGKILL = 9;

    private readonly IReadOnlyDictionary<string, string> _directoryByController;
    private readonly IReadOnlyList<string> _directories;
    private readonly Cgroup2Directory? _unified;
    private readonly CgroupFiles _files;

    internal CgroupV1ContainerCgroup(
        string containerId,
        IReadOnlyDictionary<string, string> directoryByController,
        IReadOnlyList<string> directories,
        Cgroup2Directory? unified,
        string path,
        CgroupFiles files)
    {
        ContainerId = containerId;
        _directoryByController = directoryByController;
        _directories = directories;
        _unified = unified;
        Path = path;
        _files = files;
    }

    public override string ContainerId { get; }

    public override string Path { get; }

    /// <summary>The container's directory in every managed hierarchy, the cgroup2 one last.</summary>
    public IReadOnlyList<string> Directories => _unified is null ? _directories : [.. _directories, _unified.FullPath];

    public override IReadOnlyList<string> ProcsFiles => Directories.Select(d => System.IO.Path.Combine(d, "cgroup.procs")).ToList();

    /// <summary>The container's directory in the hierarchy of <paramref name="controller"/>, or null when it is not mounted.</summary>
    public string? DirectoryOf(string controller) => _directoryByController.GetValueOrDefault(controller);

    private string? FileOf(string controller, string name) =>
        DirectoryOf(controller) is { } directory ? System.IO.Path.Combine(directory, name) : null;

    /// <summary>
    /// The <c>oom_kill</c> counter of <c>memory.oom_control</c>. <c>memory.failcnt</c> is not used: it stays 0 on an OOM
    /// kill when a memsw limit is set too.
    /// </summary>
    public override bool WasOomKilled() =>
        FileOf("memory", "memory.oom_control") is { } control && CgroupFiles.ReadKey(control, "oom_kill") > 0;

    public override void Freeze()
    {
        if (FileOf("freezer", "freezer.state") is { } state)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; ; i++)
            {
                // Writing FROZEN again restarts a freeze that a forking task made fall back to FREEZING.
                _files.Write(state, "FROZEN");
                string now = CgroupFiles.Read(state);
                if (now == "FROZEN")
                    return;
                if (clock.Elapsed > _files.FreezeTimeout)
                {
                    _files.Write(state, "THAWED");
                    throw new CgroupException($"freezing `{state}` did not finish within {_files.FreezeTimeout.TotalSeconds:0.#} s (state {now}); thawed it again");
                }
                Thread.Sleep(i < 10 ? 1 : 10);
            }
        }
        if (_unified is { CanFreeze: true })
        {
            _unified.Freeze();
            return;
        }
        throw new CgroupException($"cannot freeze container {ContainerId}: the freezer controller is not mounted");
    }

    public override void Thaw()
    {
        if (FileOf("freezer", "freezer.state") is { } state)
            _files.Write(state, "THAWED");
        else if (_unified is { CanFreeze: true })
            _unified.Thaw();
        else
            throw new CgroupException($"cannot thaw container {ContainerId}: the freezer controller is not mounted");
    }

    public override bool IsFrozen =>
        FileOf("freezer", "freezer.state") is { } state
            ? CgroupFiles.ReadOrNull(state) == "FROZEN"
            : _unified?.IsFrozen ?? false;

    public override IReadOnlyList<int> Pids() =>
        Directories.SelectMany(CgroupFiles.ReadPidsRecursive).Distinct().Order().ToList();

    /// <summary>
    /// Uses <c>cgroup.kill</c> of the matching cgroup2 cgroup when the hybrid host has one. Otherwise freezes the cgroup
    /// (so no pid can exit and be reused while it is being signalled), SIGKILLs every pid in it and thaws it.
    /// v1-frozen tasks do not die before they are thawed, so a frozen cgroup is thawed in both cases.
    /// </summary>
    public override void KillAll()
    {
        string? freezerState = FileOf("freezer", "freezer.state");
        bool haveFreezer = freezerState is not null && System.IO.File.Exists(freezerState);
        if (_unified is { CanKill: true })
        {
            _unified.Kill();
        }
        else
        {
            if (haveFreezer)
            {
                try
                {
                    Freeze();
                }
                catch (CgroupException)
                {
                    // Kill anyway; DestroyAsync repeats the kill for anything that forked meanwhile.
                }
            }
            foreach (int pid in Pids())
                Sys.Kill(pid, SIGKILL);
        }
        if (haveFreezer && CgroupFiles.ReadOrNull(freezerState!) is "FROZEN" or "FREEZING")
            _files.Write(freezerState!, "THAWED");
    }

    public override async Task DestroyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        if (!Directories.Any(Directory.Exists))
            return;
        var clock = Stopwatch.StartNew();
        KillAll();
        int delayMs = 1;
        for (int round = 1; Pids() is { Count: > 0 } left; round++)
        {
            if (clock.Elapsed > timeout)
                throw new CgroupException($"cannot remove cgroup {Path} of container {ContainerId}: processes {string.Join(", ", left)} are still in it after {timeout.TotalSeconds:0.#} s");
            await Task.Delay(delayMs, ct);
            delayMs = Math.Min(delayMs * 2, 50);
            if (round % 8 == 0)
                KillAll(); // something forked while the first kill went out
        }
        foreach (string directory in Directories)
            await CgroupFiles.RemoveTreeAsync(directory, clock, timeout, ct);
    }

    public override CgroupStats ReadStats() =>
        new(
            Number("memory", "memory.usage_in_bytes"),
            Number("memory", "memory.limit_in_bytes"),
            Number("cpuacct", "cpuacct.usage"),
            Number("pids", "pids.current"),
            Number("pids", "pids.max"));

    /// <summary>
    /// memory.stat, memory.max_usage_in_bytes and memory.failcnt; cpuacct.stat's user and system times (in USER_HZ
    /// ticks, 100 per second on Linux) and cpuacct.usage_percpu; the CFS throttling counters of cpu.stat.
    /// </summary>
    public override CgroupStatDetails ReadStatDetails()
    {
        const long NanosecondsPerTick = 1_000_000_000 / 100;
        var times = FileOf("cpuacct", "cpuacct.stat") is { } stat ? CgroupFiles.ReadKeys(stat) : new Dictionary<string, long>();
        var throttling = FileOf("cpu", "cpu.stat") is { } cpuStat ? CgroupFiles.ReadKeys(cpuStat) : new Dictionary<string, long>();
        List<long>? perCpu = null;
        if (FileOf("cpuacct", "cpuacct.usage_percpu") is { } percpuFile && CgroupFiles.ReadOrNull(percpuFile) is { } percpu)
            perCpu = percpu.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => long.TryParse(v, out long n) ? n : 0).ToList();
        return new CgroupStatDetails(
            FileOf("memory", "memory.stat") is { } memoryStat ? CgroupFiles.ReadKeys(memoryStat) : new Dictionary<string, long>(),
            Number("memory", "memory.max_usage_in_bytes"),
            Number("memory", "memory.failcnt"),
            times.TryGetValue("user", out long user) ? user * NanosecondsPerTick : null,
            times.TryGetValue("system", out long system) ? system * NanosecondsPerTick : null,
            perCpu,
            throttling.TryGetValue("nr_periods", out long periods) ? periods : null,
            throttling.TryGetValue("nr_throttled", out long throttled) ? throttled : null,
            throttling.TryGetValue("throttled_time", out long time) ? time : null);
    }

    private long? Number(string controller, string name) =>
        FileOf(controller, name) is { } file ? CgroupFiles.ReadNumber(file) : null;
}
