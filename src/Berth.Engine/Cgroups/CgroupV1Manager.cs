using Microsoft.Extensions.Logging;

namespace Berth.Engine.Cgroups;

/// <summary>
/// The cgroup v1 driver (runc's <c>fs</c>): one directory per mounted v1 hierarchy below the engine's own cgroup of that
/// hierarchy, plus one in the cgroup2 mount of a hybrid host for <c>cgroup.kill</c>, <c>cgroup.freeze</c> and <c>populated</c>.
/// </summary>
public sealed class CgroupV1Manager : ICgroupDriver
{
    /// <summary>The v1 controllers a container joins (whichever are mounted).</summary>
    public static IReadOnlyList<string> ManagedControllers { get; } = ["memory", "pids", "cpu", "cpuacct", "cpuset", "freezer", "devices", "blkio"];

    private readonly IReadOnlyList<CgroupHierarchy> _hierarchies;
    private readonly CgroupHierarchy? _unified;
    private readonly CgroupDriverOptions _options;
    private readonly CgroupFiles _files;
    private readonly ILogger? _logger;

    /// <summary>
    /// <paramref name="hierarchies"/> are the v1 hierarchies to manage (those without a managed controller are ignored);
    /// <paramref name="unified"/> is the cgroup2 hierarchy of a hybrid host, or null.
    /// </summary>
    public CgroupV1Manager(IReadOnlyList<CgroupHierarchy> hierarchies, CgroupHierarchy? unified, CgroupDriverOptions options, ILogger? logger = null)
    {
        CgroupNames.Validate(options.ParentName, "cgroup parent name");
        _hierarchies = hierarchies.Where(h => h.Version == 1 && h.Controllers.Any(ManagedControllers.Contains)).ToList();
        if (_hierarchies.Count == 0)
            throw new CgroupException("no v1 hierarchy with a controller Berth uses is mounted");
        _unified = unified is { Version: 2 } ? unified : null;
        _options = options;
        _files = new CgroupFiles(options);
        _logger = logger;
    }

    public int Version => 1;

    public string Description => _unified is null ? "cgroupfs v1" : "cgroupfs v1 (hybrid)";

    /// <summary>The managed v1 hierarchies.</summary>
    public IReadOnlyList<CgroupHierarchy> Hierarchies => _hierarchies;

    public CgroupHierarchy? Unified => _unified;

    public ContainerCgroup Create(string containerId, CgroupLimits limits)
    {
        CgroupNames.Validate(containerId, "container id");
        limits.Validate();
        CheckAvailable(limits);

        var created = new List<string>();
        try
        {
            foreach (CgroupHierarchy hierarchy in AllHierarchies)
            {
                string parent = Path.Combine(hierarchy.OwnDirectory, _options.ParentName);
                _files.MakeDirectory(parent); // shared by all containers; another create may have made it first
                if (hierarchy.Has("cpuset"))
                    CopyCpusetIfEmpty(hierarchy.OwnDirectory, parent);
                string directory = Path.Combine(parent, containerId);
                if (!_files.MakeDirectory(directory))
                    throw new CgroupException($"cgroup `{directory}` of container {containerId} already exists");
                created.Add(directory);
                if (hierarchy.Has("cpuset"))
                    CopyCpusetIfEmpty(parent, directory);
            }
            CgroupV1ContainerCgroup cgroup = Build(containerId);
            Apply(cgroup, limits);
            return cgroup;
        }
        catch
        {
            foreach (string directory in Enumerable.Reverse(created))
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _logger?.LogWarning(e, "Could not remove cgroup {Directory} after a failed create", directory);
                }
            }
            throw;
        }
    }

    /// <summary>One mount per v1 hierarchy (on a tmpfs), named and optioned as on the host.</summary>
    public InitSpec.InitCgroupMount ContainerMount()
    {
        var mount = new InitSpec.InitCgroupMount { Version = 1 };
        foreach (var hierarchy in _hierarchies)
            mount.Hierarchies.Add(new InitSpec.InitCgroupHierarchy { Directory = Path.GetFileName(hierarchy.MountPoint), Options = string.Join(',', hierarchy.Controllers) });
        return mount;
    }

    public ContainerCgroup? Open(string containerId)
    {
        CgroupNames.Validate(containerId, "container id");
        CgroupV1ContainerCgroup cgroup = Build(containerId);
        return cgroup.Directories.Any(Directory.Exists) ? cgroup : null;
    }

    public IReadOnlyList<string> ListContainerIds() =>
        AllHierarchies
            .Select(h => Path.Combine(h.OwnDirectory, _options.ParentName))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Select(d => Path.GetFileName(d))
            .Where(CgroupNames.IsValid)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    public bool RemoveParentIfEmpty()
    {
        if (ListContainerIds().Count > 0)
            return false;
        foreach (string parent in AllHierarchies.Select(h => Path.Combine(h.OwnDirectory, _options.ParentName)))
            Berth.Interop.Sys.RemoveDirectory(parent);
        return true;
    }

    private IEnumerable<CgroupHierarchy> AllHierarchies => _unified is null ? _hierarchies : [.. _hierarchies, _unified];

    private CgroupHierarchy? HierarchyOf(string controller) => _hierarchies.FirstOrDefault(h => h.Has(controller));

    private CgroupV1ContainerCgroup Build(string containerId)
    {
        var byController = new Dictionary<string, string>();
        var directories = new List<string>();
        foreach (CgroupHierarchy hierarchy in _hierarchies)
        {
            string directory = Path.Combine(hierarchy.OwnDirectory, _options.ParentName, containerId);
            directories.Add(directory);
            foreach (string controller in hierarchy.Controllers)
                byController[controller] = directory;
        }
        Cgroup2Directory? unified = _unified is null
            ? null
            : new Cgroup2Directory(Path.Combine(_unified.OwnDirectory, _options.ParentName, containerId), _files);
        CgroupHierarchy display = HierarchyOf("memory") ?? _hierarchies[0];
        string path = $"{display.OwnCgroup.TrimEnd('/')}/{_options.ParentName}/{containerId}";
        return new CgroupV1ContainerCgroup(containerId, byController, directories, unified, path, _files);
    }

    /// <summary>Refuses limits whose controller (or file) this host lacks, before anything is created.</summary>
    private void CheckAvailable(CgroupLimits limits)
    {
        var missing = new List<string>();
        CgroupHierarchy? memory = HierarchyOf("memory");
        if (limits.MemoryBytes is not null && memory is null)
            missing.Add("memory (for the memory limit)");
        if (limits.MemorySwapBytes is > 0 && memory is not null && !File.Exists(Path.Combine(memory.OwnDirectory, "memory.memsw.limit_in_bytes")))
            missing.Add("memory.memsw.limit_in_bytes (for the swap limit; swap accounting is off)");
        CgroupHierarchy? cpu = HierarchyOf("cpu");
        if (limits.CpuQuotaMicroseconds is not null && (cpu is null || !File.Exists(Path.Combine(cpu.OwnDirectory, "cpu.cfs_quota_us"))))
            missing.Add("cpu with CFS bandwidth control (for --cpus)");
        if (limits.CpuShares is > 0 && cpu is null)
            missing.Add("cpu (for CPU shares)");
        if (limits.PidsLimit is not null && HierarchyOf("pids") is null)
            missing.Add("pids (for the pids limit)");
        if (limits.CpusetCpus is not null && HierarchyOf("cpuset") is null)
            missing.Add("cpuset (for cpuset cpus)");
        if (missing.Count > 0)
            throw new CgroupException($"this host cannot apply the requested limits; missing cgroup v1 controller: {string.Join("; ", missing)}");
    }

    /// <summary>A new cpuset cgroup starts with empty <c>cpuset.cpus</c> and <c>cpuset.mems</c>, and no process can join it until both are set.</summary>
    private void CopyCpusetIfEmpty(string from, string to)
    {
        foreach (string name in (string[])["cpuset.cpus", "cpuset.mems"])
        {
            string target = Path.Combine(to, name);
            if (string.IsNullOrEmpty(CgroupFiles.ReadOrNull(target)))
                _files.Write(target, CgroupFiles.Read(Path.Combine(from, name)));
        }
    }

    public void Update(ContainerCgroup cgroup, CgroupLimits limits)
    {
        limits.Validate();
        ApplyResources((CgroupV1ContainerCgroup)cgroup, limits);
    }

    private void Apply(CgroupV1ContainerCgroup cgroup, CgroupLimits limits)
    {
        ApplyResources(cgroup, limits);
        if (cgroup.DirectoryOf("devices") is { } devices && !limits.AllowAllDevices)
        {
            foreach (DeviceRule rule in DeviceRules.DockerDefaults)
                _files.Write(Path.Combine(devices, rule.Allow ? "devices.allow" : "devices.deny"), rule.ToString());
        }
    }

    private void ApplyResources(CgroupV1ContainerCgroup cgroup, CgroupLimits limits)
    {
        if (cgroup.DirectoryOf("memory") is { } memory && limits.MemoryBytes is { } memoryBytes)
            ApplyMemory(memory, memoryBytes, limits.MemorySwapBytes is 0 ? null : limits.MemorySwapBytes);

        if (cgroup.DirectoryOf("cpu") is { } cpu)
        {
            if (limits.CpuQuotaMicroseconds is { } quota)
            {
                _files.Write(Path.Combine(cpu, "cpu.cfs_period_us"), CgroupLimits.CpuPeriodMicroseconds.ToString());
                _files.Write(Path.Combine(cpu, "cpu.cfs_quota_us"), quota.ToString());
            }
            if (limits.CpuShares is long shares and > 0)
                _files.Write(Path.Combine(cpu, "cpu.shares"), shares.ToString());
        }

        if (cgroup.DirectoryOf("pids") is { } pids && limits.PidsLimit is { } pidsLimit)
            _files.Write(Path.Combine(pids, "pids.max"), pidsLimit > 0 ? pidsLimit.ToString() : "max");

        if (cgroup.DirectoryOf("cpuset") is { } cpuset && limits.CpusetCpus is { } cpus)
            _files.Write(Path.Combine(cpuset, "cpuset.cpus"), cpus);
    }

    /// <summary>
    /// Sets memory and memory+swap. <paramref name="explicitSwap"/> is the caller's memsw (or -1); when it is null and the
    /// host accounts swap, Docker's default of twice the memory applies. The kernel refuses a memsw below the memory
    /// limit at every moment, so the order follows runc's <c>setMemoryAndSwap</c>: memsw first when it is unlimited
    /// or the current memory limit is already below it, memory first otherwise.
    /// </summary>
    private void ApplyMemory(string directory, long memoryBytes, long? explicitSwap)
    {
        string memoryFile = Path.Combine(directory, "memory.limit_in_bytes");
        string swapFile = Path.Combine(directory, "memory.memsw.limit_in_bytes");
        bool hasSwap = File.Exists(swapFile);
        long? swap = explicitSwap ?? (hasSwap ? memoryBytes * 2 : null);
        if (swap is null || !hasSwap)
        {
            if (swap is > 0)
                throw new CgroupException($"cannot limit swap of `{directory}`: `{swapFile}` does not exist (swap accounting is off)");
            _files.Write(memoryFile, memoryBytes.ToString());
            return;
        }
        long currentMemory = CgroupFiles.ReadNumber(memoryFile) ?? long.MaxValue;
        if (swap == -1 || currentMemory < swap)
        {
            _files.Write(swapFile, swap.Value.ToString());
            _files.Write(memoryFile, memoryBytes.ToString());
        }
        else
        {
            _files.Write(memoryFile, memoryBytes.ToString());
            _files.Write(swapFile, swap.Value.ToString());
        }
    }
}
