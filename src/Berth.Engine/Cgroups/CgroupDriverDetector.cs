using Berth.Engine.Host;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Cgroups;

/// <summary>Chooses the cgroup driver for this host from the engine's mount table and cgroup membership.</summary>
public static class CgroupDriverDetector
{
    /// <summary>
    /// Reads <c>self/mountinfo</c> and <c>self/cgroup</c> under <see cref="CgroupDriverOptions.ProcRoot"/>. A host that has
    /// any of <see cref="CgroupV1Manager.ManagedControllers"/> mounted as a v1 hierarchy gets the v1 driver (with the
    /// cgroup2 mount of a hybrid host alongside); a host with only cgroup2 gets the v2 driver.
    /// </summary>
    public static ICgroupDriver Detect(CgroupDriverOptions options, ILogger? logger = null)
    {
        string mountInfo = File.ReadAllText(Path.Combine(options.ProcRoot, "self", "mountinfo"));
        string procSelfCgroup = File.ReadAllText(Path.Combine(options.ProcRoot, "self", "cgroup"));
        IReadOnlyList<CgroupHierarchy> hierarchies = CgroupHierarchy.Discover(MountInfo.Parse(mountInfo), procSelfCgroup);

        var v1 = hierarchies.Where(h => h.Version == 1 && h.Controllers.Any(CgroupV1Manager.ManagedControllers.Contains)).ToList();
        CgroupHierarchy? v2 = hierarchies.FirstOrDefault(h => h.Version == 2);
        ICgroupDriver driver;
        if (v1.Count > 0)
            driver = new CgroupV1Manager(v1, v2, options, logger);
        else if (v2 is not null)
            driver = new CgroupV2Manager(v2, options, logger);
        else
            throw new CgroupException("no cgroup filesystem is mounted: neither a v1 hierarchy with memory, pids, cpu, cpuacct, cpuset, freezer, devices or blkio, nor cgroup2");
        logger?.LogInformation("Cgroup driver: {Description} ({Hierarchies})", driver.Description, string.Join("; ", hierarchies.Where(h => h.Version == 2 || v1.Contains(h))));
        return driver;
    }
}
