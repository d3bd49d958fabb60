using Microsoft.Extensions.Logging;

namespace Berth.Engine.Cgroups;

/// <summary>
/// The cgroup v2 driver (runc's <c>fs2</c>) for unified hosts. Container cgroups live at
/// <c>&lt;engine's cgroup X&gt;/&lt;parent&gt;/&lt;id&gt;</c>; at first use the driver enables the controllers top-down in
/// <c>X/cgroup.subtree_control</c> and <c>X/&lt;parent&gt;/cgroup.subtree_control</c>. cgroup v2 lets no process live in a
/// (non-root) cgroup that hands controllers to its children, so when the engine itself is in X it first moves
/// itself, and only itself, into the leaf <c>X/&lt;EngineLeafName&gt;</c>.
/// </summary>
/// <remarks>
/// v2 has no devices.allow/deny: <see cref="DeviceRules.DockerDefaults"/> are compiled into an eBPF program
/// (<see cref="DeviceFilter"/>) attached to each container cgroup.
/// </remarks>
public sealed class CgroupV2Manager : ICgroupDriver
{
    /// <summary>The controllers enabled for container cgroups, whichever the host offers.</summary>
    public static IReadOnlyList<string> WantedControllers { get; } = ["cpuset", "cpu", "io", "memory", "pids"];

    private readonly CgroupHierarchy _hierarchy;
    private readonly CgroupDriverOptions _options;
    private readonly CgroupFiles _files;
    private readonly ILogger? _logger;
    private readonly Lock _parentLock = new();
    private IReadOnlySet<string>? _containerControllers;

    public CgroupV2Manager(CgroupHierarchy hierarchy, CgroupDriverOptions options, ILogger? logger = null)
    {
        if (hierarchy.Version != 2)
            throw new ArgumentException($"hierarchy {hierarchy} is not cgroup2", nameof(hierarchy));
        CgroupNames.Validate(options.ParentName, "cgroup parent name");
        CgroupNames.Validate(options.EngineLeafName, "engine leaf cgroup name");
        if (options.ParentName == options.EngineLeafName)
            throw new ArgumentException($"the cgroup parent name and the engine leaf name are both `{options.ParentName}`");
        _hierarchy = hierarchy;
        _options = options;
        _files = new CgroupFiles(options);
        _logger = logger;
    }

    public int Version => 2;

    public string Description => "cgroupfs v2 (unified)";

    public CgroupHierarchy Hierarchy => _hierarchy;

    /// <summary>
    /// The engine's cgroup X. When the engine moved itself into X/<see cref="CgroupDriverOptions.EngineLeafName"/>, that leaf
    /// is what /proc/self/cgroup shows, and X is its parent.
    /// </summary>
    private string EngineDirectory =>
        Path.GetFileName(_hierarchy.OwnDirectory) == _options.EngineLeafName && _hierarchy.OwnCgroup != "/"
            ? Path.GetDirectoryName(_hierarchy.OwnDirectory)!
            : _hierarchy.OwnDirectory;

    private string EngineCgroup =>
        EngineDirectory == _hierarchy.OwnDirectory ? _hierarchy.OwnCgroup : _hierarchy.OwnCgroup[.._hierarchy.OwnCgroup.LastIndexOf('/')];

    private string ParentDirectory => Path.Combine(EngineDirectory, _options.ParentName);

    public ContainerCgroup Create(string containerId, CgroupLimits limits)
    {
        CgroupNames.Validate(containerId, "container id");
        limits.Validate();
        IReadOnlySet<string> available = EnsureParent();
        CheckAvailable(limits, available);

        string directory = Path.Combine(ParentDirectory, containerId);
        if (!_files.MakeDirectory(directory))
            throw new CgroupException($"cgroup `{directory}` of container {containerId} already exists");
        try
        {
            Apply(directory, limits);
        }
        catch
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger?.LogWarning(e, "Could not remove cgroup {Directory} after a failed create", directory);
            }
            throw;
        }
        return Build(containerId);
    }

    /// <summary>One cgroup2 mount, rooted at the container's cgroup by its cgroup namespace.</summary>
    public InitSpec.InitCgroupMount ContainerMount() => new() { Version = 2 };

    public ContainerCgroup? Open(string containerId)
    {
        CgroupNames.Validate(containerId, "container id");
        return Directory.Exists(Path.Combine(ParentDirectory, containerId)) ? Build(containerId) : null;
    }

    public IReadOnlyList<string> ListContainerIds() =>
        Directory.Exists(ParentDirectory)
            ? Directory.GetDirectories(ParentDirectory).Select(d => Path.GetFileName(d)).Where(CgroupNames.IsValid).Order(StringComparer.Ordinal).ToList()
            : [];

    public bool RemoveParentIfEmpty()
    {
        if (ListContainerIds().Count > 0)
            return false;
        Berth.Interop.Sys.RemoveDirectory(ParentDirectory);
        return true;
    }

    /// <summary>Docker's (runc's) conversion of v1 CPU shares [2, 262144] to a v2 weight [1, 10000].</summary>
    public static long SharesToWeight(long shares) => Math.Clamp(1 + (shares - 2) * 9999 / 262142, 1, 10000);

    private CgroupV2ContainerCgroup Build(string containerId) =>
        new(containerId, Path.Combine(ParentDirectory, containerId), $"{EngineCgroup.TrimEnd('/')}/{_options.ParentName}/{containerId}", _files);

    /// <summary>
    /// Makes X/&lt;parent&gt; and enables the wanted controllers top-down; returns the controllers container cgroups get.
    /// Runs once; concurrent engines are fine (mkdir's EEXIST and enabling an enabled controller are no-ops).
    /// </summary>
    private IReadOnlySet<string> EnsureParent()
    {
        lock (_parentLock)
        {
            if (_containerControllers is not null)
                return _containerControllers;
            string engine = EngineDirectory;
            EnableControllers(engine, moveEngineOut: true);
            _files.MakeDirectory(ParentDirectory);
            _containerControllers = EnableControllers(ParentDirectory, moveEngineOut: false);
            return _containerControllers;
        }
    }

    /// <summary>Enables each wanted controller that <paramref name="directory"/> offers in its subtree_control; returns what is enabled.</summary>
    private HashSet<string> EnableControllers(string directory, bool moveEngineOut)
    {
        IReadOnlySet<string> offered = CgroupFiles.ReadSet(Path.Combine(directory, "cgroup.controllers"));
        string subtreeControl = Path.Combine(directory, "cgroup.subtree_control");
        var enabled = CgroupFiles.ReadSet(subtreeControl).ToHashSet();
        var missing = WantedControllers.Where(c => offered.Contains(c) && !enabled.Contains(c)).ToList();
        if (missing.Count == 0)
            return enabled;

        if (moveEngineOut)
            MoveEngineToLeaf(directory, missing);
        foreach (string controller in missing)
        {
            try
            {
                _files.Write(subtreeControl, "+" + controller);
                enabled.Add(controller);
            }
            catch (CgroupException e)
            {
                // Only fatal for a container that asks for a limit of this controller; Create says so then.
                _logger?.LogWarning(e, "Could not enable the {Controller} controller for {Directory}", controller, directory);
            }
        }
        return enabled;
    }

    /// <summary>
    /// The no-internal-process rule: a non-root cgroup with processes cannot enable controllers for its children.
    /// When the only process in <paramref name="directory"/> is the engine, the engine moves itself into a leaf; it never
    /// moves another process, and refuses when there are others.
    /// </summary>
    private void MoveEngineToLeaf(string directory, IReadOnlyList<string> controllers)
    {
        bool isRoot = !File.Exists(Path.Combine(directory, "cgroup.type")); // the root cgroup has no cgroup.type and is exempt
        if (isRoot)
            return;
        int self = Environment.ProcessId;
        IReadOnlyList<int> here = CgroupFiles.ReadPids(Path.Combine(directory, "cgroup.procs"));
        if (here.Count == 0)
            return;
        var others = here.Where(pid => pid != self).ToList();
        if (others.Count > 0)
            throw new CgroupException(
                $"cannot enable the {string.Join(", ", controllers)} controllers in `{directory}`: it holds processes the engine did not start " +
                $"({string.Join(", ", others)}), and cgroup v2 lets no process live in a cgroup that distributes controllers. " +
                "Start the engine in a cgroup of its own (e.g. a systemd unit with Delegate=yes)");
        string leaf = Path.Combine(directory, _options.EngineLeafName);
        _files.MakeDirectory(leaf);
        _files.Write(Path.Combine(leaf, "cgroup.procs"), self.ToString());
        _logger?.LogInformation("Moved the engine (pid {Pid}) into {Leaf} to enable controllers in {Directory}", self, leaf, directory);
    }

    private static void CheckAvailable(CgroupLimits limits, IReadOnlySet<string> available)
    {
        var missing = new List<string>();
        if ((limits.MemoryBytes is not null || limits.MemorySwapBytes is not null) && !available.Contains("memory"))
            missing.Add("memory (for the memory limit)");
        if ((limits.CpuQuotaMicroseconds is not null || limits.CpuShares is > 0) && !available.Contains("cpu"))
            missing.Add("cpu (for --cpus or CPU shares)");
        if (limits.PidsLimit is not null && !available.Contains("pids"))
            missing.Add("pids (for the pids limit)");
        if (limits.CpusetCpus is not null && !available.Contains("cpuset"))
            missing.Add("cpuset (for cpuset cpus)");
        if (missing.Count > 0)
            throw new CgroupException($"this host cannot apply the requested limits; cgroup v2 controller not available to containers: {string.Join("; ", missing)}");
    }

    public void Update(ContainerCgroup cgroup, CgroupLimits limits)
    {
        limits.Validate();
        ApplyResources(((CgroupV2ContainerCgroup)cgroup).Directory, limits);
    }

    private void Apply(string directory, CgroupLimits limits)
    {
        if (!limits.AllowAllDevices)
            (_options.AttachDeviceFilter ?? DeviceFilter.Attach)(directory, DeviceRules.DockerDefaults);
        ApplyResources(directory, limits);
    }

    private void ApplyResources(string directory, CgroupLimits limits)
    {
        if (limits.MemoryBytes is { } memory)
        {
            string swapFile = Path.Combine(directory, "memory.swap.max");
            // memory.swap.max is swap alone: Docker's memory+swap minus memory (-1: unlimited).
            if (limits.EffectiveMemorySwapBytes is { } memsw)
            {
                if (File.Exists(swapFile))
                    _files.Write(swapFile, memsw == -1 ? "max" : (memsw - memory).ToString());
                else if (limits.MemorySwapBytes is > 0)
                    throw new CgroupException($"cannot limit swap of `{directory}`: `{swapFile}` does not exist (swap accounting is off)");
            }
            _files.Write(Path.Combine(directory, "memory.max"), memory.ToString());
        }
        if (limits.CpuQuotaMicroseconds is { } quota)
            _files.Write(Path.Combine(directory, "cpu.max"), $"{quota} {CgroupLimits.CpuPeriodMicroseconds}");
        if (limits.CpuShares is long shares and > 0)
            _files.Write(Path.Combine(directory, "cpu.weight"), SharesToWeight(shares).ToString());
        if (limits.PidsLimit is { } pids)
            _files.Write(Path.Combine(directory, "pids.max"), pids > 0 ? pids.ToString() : "max");
        if (limits.CpusetCpus is { } cpus)
            _files.Write(Path.Combine(directory, "cpuset.cpus"), cpus);
    }
}
