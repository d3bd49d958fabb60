using Berth.Engine.Cgroups;
using Berth.Interop;

namespace Berth.Engine.Tests.Cgroups;

/// <summary>
/// A cgroupfs in a temporary directory that plays the kernel's part: new cgroup directories get their control
/// files, <c>cgroup.procs</c> writes move a pid, and writes the kernel refuses (memsw below memory, controllers in a
/// cgroup that has processes) throw. Every write is logged so tests can check values and order.
/// </summary>
internal sealed class FakeCgroupfs : IDisposable
{
    public const string Unlimited = "9223372036854771712";

    private readonly Dictionary<string, string[]?> _mounts = new(); // mount dir -> v1 controllers, null for cgroup2
    private readonly List<string> _mountInfo = [];
    private readonly List<string> _procCgroup = [];
    private readonly Dictionary<string, HashSet<string>> _subtreeControl = new();
    private int _nextMountId = 30;

    public FakeCgroupfs()
    {
        Root = Directory.CreateTempSubdirectory("berth-fake-cgroupfs-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "proc", "self"));
    }

    public string Root { get; }

    public List<(string Path, string Value)> Writes { get; } = [];

    public bool SwapAccounting { get; set; } = true;

    /// <summary>A hybrid host exactly like the development host (§1.2 of the notes): memory nested, the rest at "/".</summary>
    public static FakeCgroupfs Hybrid(string memoryCgroup = "/process_api/abc")
    {
        var fake = new FakeCgroupfs();
        fake.AddV1("cpu", 1, "/");
        fake.AddV1("cpuacct", 2, "/");
        fake.AddV1("cpuset", 3, "/");
        fake.AddV1("memory", 4, memoryCgroup);
        fake.AddV1("devices", 5, "/");
        fake.AddV1("freezer", 6, "/");
        fake.AddV1("blkio", 7, "/");
        fake.AddV1("pids", 8, "/");
        fake.AddV1("name=systemd", 9, "/", mountName: "systemd");
        fake.AddV2("/", mountName: "unified", isRoot: true, controllers: "hugetlb");
        return fake.Finish();
    }

    public string Mount(string name) => Path.Combine(Root, "sys", "fs", "cgroup", name);

    public CgroupDriverOptions Options(string parentName = "berth") => new()
    {
        ParentName = parentName,
        ProcRoot = Path.Combine(Root, "proc"),
        MakeDirectory = MakeCgroup,
        OnWrite = OnWrite,
        AttachDeviceFilter = (directory, rules) => DeviceFilters[directory] = rules,
    };

    /// <summary>The device filters the driver attached, by cgroup directory.</summary>
    public Dictionary<string, IReadOnlyList<DeviceRule>> DeviceFilters { get; } = [];

    /// <summary>Adds a v1 hierarchy mounted at sys/fs/cgroup/&lt;controllers&gt; and the engine's cgroup in it.</summary>
    public FakeCgroupfs AddV1(string controllers, int id, string ownCgroup, string mountRoot = "/", string? mountName = null)
    {
        string mountPoint = Mount(mountName ?? controllers);
        _mounts[mountPoint] = controllers.Split(',');
        _mountInfo.Add($"{_nextMountId++} 31 0:{_nextMountId} {mountRoot} {mountPoint} rw,relatime - cgroup cgroup rw,{controllers}");
        _procCgroup.Add($"{id}:{controllers}:{ownCgroup}");
        string own = Path.Combine(mountPoint, ownCgroup.TrimStart('/')[RelativeStart(ownCgroup, mountRoot)..]);
        Directory.CreateDirectory(own);
        Populate(own);
        if (controllers.Contains("cpuset"))
        {
            File.WriteAllText(Path.Combine(own, "cpuset.cpus"), "0-1\n");
            File.WriteAllText(Path.Combine(own, "cpuset.mems"), "0\n");
        }
        return this;
    }

    /// <summary>Adds a cgroup2 mount at sys/fs/cgroup[/mountName] and the engine's cgroup in it, holding <paramref name="procs"/>.</summary>
    public FakeCgroupfs AddV2(string ownCgroup, string mountName = "", bool isRoot = false, string controllers = "cpuset cpu io memory hugetlb pids rdma misc", IEnumerable<int>? procs = null, string mountRoot = "/")
    {
        string mountPoint = mountName.Length == 0 ? Mount("").TrimEnd('/') : Mount(mountName);
        _mounts[mountPoint] = null;
        _mountInfo.Add($"{_nextMountId++} 23 0:{_nextMountId} {mountRoot} {mountPoint} rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate");
        _procCgroup.Add($"0::{ownCgroup}");
        string own = Path.Combine(mountPoint, ownCgroup.TrimStart('/')[RelativeStart(ownCgroup, mountRoot)..]);
        Directory.CreateDirectory(own);
        Populate(own);
        File.WriteAllText(Path.Combine(own, "cgroup.controllers"), controllers + "\n");
        if (isRoot)
            File.Delete(Path.Combine(own, "cgroup.type"));
        File.WriteAllText(Path.Combine(own, "cgroup.procs"), string.Concat((procs ?? []).Select(p => p + "\n")));
        return this;
    }

    public FakeCgroupfs Finish()
    {
        File.WriteAllText(Path.Combine(Root, "proc", "self", "mountinfo"),
            $"23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw\n31 23 0:28 / {Mount("").TrimEnd('/')} rw - tmpfs tmpfs rw,mode=755\n" +
            string.Join("\n", _mountInfo) + "\n");
        File.WriteAllText(Path.Combine(Root, "proc", "self", "cgroup"), string.Join("\n", Enumerable.Reverse(_procCgroup)) + "\n");
        return this;
    }

    /// <summary>The writes to files named <paramref name="fileName"/>, as "value".</summary>
    public List<string> WritesTo(string fileName) => Writes.Where(w => Path.GetFileName(w.Path) == fileName).Select(w => w.Value).ToList();

    public string Read(string path) => File.ReadAllText(path).Trim();

    /// <summary>Every directory below the fake's root, relative to it.</summary>
    public List<string> AllDirectories() =>
        Directory.GetDirectories(Root, "*", SearchOption.AllDirectories).Select(d => Path.GetRelativePath(Root, d)).Order().ToList();

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static int RelativeStart(string ownCgroup, string mountRoot) =>
        mountRoot == "/" ? 0 : Math.Min(mountRoot.TrimStart('/').Length + 1, ownCgroup.TrimStart('/').Length);

    private KeyValuePair<string, string[]?> MountOf(string path) =>
        _mounts.Where(m => path == m.Key || path.StartsWith(m.Key + "/", StringComparison.Ordinal)).MaxBy(m => m.Key.Length);

    /// <summary>mkdir in cgroupfs: the directory appears with its control files at once (built aside, then renamed).</summary>
    private bool MakeCgroup(string directory)
    {
        lock (_mounts)
        {
            if (Directory.Exists(directory))
                return false;
            string aside = $"{directory}.mkdir-{Guid.NewGuid():N}";
            Directory.CreateDirectory(aside);
            Populate(aside, directory);
            Directory.Move(aside, directory);
            return true;
        }
    }

    /// <summary>Writes into <paramref name="directory"/> the control files a cgroup at <paramref name="cgroupPath"/> has.</summary>
    private void Populate(string directory, string? cgroupPath = null)
    {
        cgroupPath ??= directory;
        var (_, controllers) = MountOf(cgroupPath);
        var files = new Dictionary<string, string> { ["cgroup.procs"] = "" };
        if (controllers is null)
        {
            files["cgroup.type"] = "domain";
            files["cgroup.events"] = "populated 0\nfrozen 0";
            files["cgroup.freeze"] = "0";
            files["cgroup.kill"] = "";
            files["cgroup.subtree_control"] = "";
            var enabled = _subtreeControl.GetValueOrDefault(Path.GetDirectoryName(cgroupPath)!) ?? [];
            files["cgroup.controllers"] = string.Join(" ", enabled);
            if (enabled.Contains("memory"))
            {
                files["memory.max"] = "max";
                files["memory.current"] = "0";
                files["memory.events"] = "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0";
                if (SwapAccounting)
                    files["memory.swap.max"] = "max";
            }
            if (enabled.Contains("cpu"))
            {
                files["cpu.max"] = "max 100000";
                files["cpu.weight"] = "100";
                files["cpu.stat"] = "usage_usec 0";
            }
            if (enabled.Contains("pids"))
            {
                files["pids.max"] = "max";
                files["pids.current"] = "0";
            }
            if (enabled.Contains("cpuset"))
                files["cpuset.cpus"] = "";
        }
        else
        {
            foreach (string controller in controllers)
            {
                switch (controller)
                {
                    case "memory":
                        files["memory.limit_in_bytes"] = Unlimited;
                        files["memory.usage_in_bytes"] = "0";
                        files["memory.oom_control"] = "oom_kill_disable 0\nunder_oom 0\noom_kill 0";
                        if (SwapAccounting)
                            files["memory.memsw.limit_in_bytes"] = Unlimited;
                        break;
                    case "cpu":
                        files["cpu.cfs_period_us"] = "100000";
                        files["cpu.cfs_quota_us"] = "-1";
                        files["cpu.shares"] = "1024";
                        break;
                    case "cpuacct":
                        files["cpuacct.usage"] = "0";
                        break;
                    case "cpuset":
                        files["cpuset.cpus"] = "";
                        files["cpuset.mems"] = "";
                        break;
                    case "pids":
                        files["pids.max"] = "max";
                        files["pids.current"] = "0";
                        break;
                    case "devices":
                        files["devices.allow"] = "";
                        files["devices.deny"] = "";
                        files["devices.list"] = "a *:* rwm";
                        break;
                    case "freezer":
                        files["freezer.state"] = "THAWED";
                        break;
                }
            }
        }
        foreach (var (name, content) in files)
            File.WriteAllText(Path.Combine(directory, name), content.Length == 0 ? "" : content + "\n");
    }

    /// <summary>The kernel's checks, before the driver's write lands in the file.</summary>
    private void OnWrite(string path, string value)
    {
        lock (Writes)
            Writes.Add((path, value));
        string directory = Path.GetDirectoryName(path)!;
        switch (Path.GetFileName(path))
        {
            case "memory.limit_in_bytes":
                if (File.Exists(Path.Combine(directory, "memory.memsw.limit_in_bytes")) && long.Parse(value) > ParseLimit(Path.Combine(directory, "memory.memsw.limit_in_bytes")))
                    throw new SyscallException($"write `{value}` to `{path}`", Errno.EINVAL);
                break;
            case "memory.memsw.limit_in_bytes":
                long memsw = long.Parse(value);
                if (memsw != -1 && memsw < ParseLimit(Path.Combine(directory, "memory.limit_in_bytes")))
                    throw new SyscallException($"write `{value}` to `{path}`", Errno.EINVAL);
                break;
            case "cgroup.subtree_control" when MountOf(path).Value is null:
                string controller = value.TrimStart('+');
                if (!Read(Path.Combine(directory, "cgroup.controllers")).Split(' ').Contains(controller))
                    throw new SyscallException($"write `{value}` to `{path}`", Errno.ENOENT);
                if (File.Exists(Path.Combine(directory, "cgroup.type")) && Read(Path.Combine(directory, "cgroup.procs")).Length > 0)
                    throw new SyscallException($"write `{value}` to `{path}`", Errno.EBUSY);
                (_subtreeControl.TryGetValue(directory, out var set) ? set : _subtreeControl[directory] = []).Add(controller);
                break;
            case "cgroup.procs":
                // Moving a pid takes it out of every other cgroup of the hierarchy.
                string mount = MountOf(path).Key;
                foreach (string procs in Directory.GetFiles(mount, "cgroup.procs", SearchOption.AllDirectories))
                {
                    var left = File.ReadAllLines(procs).Where(l => l.Length > 0 && l != value).ToList();
                    File.WriteAllText(procs, string.Concat(left.Select(l => l + "\n")));
                }
                break;
        }
    }

    /// <summary>A limit file's value; -1 (as written) is unlimited.</summary>
    private static long ParseLimit(string path) => long.Parse(File.ReadAllText(path).Trim()) is var v && v < 0 ? long.MaxValue : v;
}
