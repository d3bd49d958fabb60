using Berth.Engine.Host;

namespace Berth.Engine.Cgroups;

/// <summary>
/// A mounted cgroup hierarchy and the engine's own cgroup in it. The engine's cgroup differs between
/// hierarchies (on the hybrid host only the memory one is nested), so each hierarchy carries its own.
/// </summary>
public sealed class CgroupHierarchy
{
    public CgroupHierarchy(int version, int id, IReadOnlyList<string> controllers, string mountPoint, string mountRoot, string ownCgroup, string ownDirectory)
    {
        Version = version;
        Id = id;
        Controllers = controllers;
        MountPoint = mountPoint;
        MountRoot = mountRoot;
        OwnCgroup = ownCgroup;
        OwnDirectory = ownDirectory;
    }

    /// <summary>1 for a v1 hierarchy, 2 for the unified (cgroup2) one.</summary>
    public int Version { get; }

    /// <summary>The hierarchy id of <c>/proc/self/cgroup</c>; 0 for cgroup2.</summary>
    public int Id { get; }

    /// <summary>v1: the controllers bound to it (<c>memory</c>; <c>cpu</c>, <c>cpuacct</c>; or a name such as <c>name=systemd</c>). Empty for cgroup2, whose controllers are in <c>cgroup.controllers</c>.</summary>
    public IReadOnlyList<string> Controllers { get; }

    public string MountPoint { get; }

    /// <summary>The cgroup that is mounted at <see cref="MountPoint"/> (the mountinfo root field), usually <c>/</c>.</summary>
    public string MountRoot { get; }

    /// <summary>The engine's cgroup as <c>/proc/self/cgroup</c> names it, e.g. <c>/process_api/&lt;id&gt;</c>.</summary>
    public string OwnCgroup { get; }

    /// <summary>The directory of the engine's cgroup: <see cref="MountPoint"/> + (<see cref="OwnCgroup"/> − <see cref="MountRoot"/>).</summary>
    public string OwnDirectory { get; }

    /// <summary>"memory", "cpu,cpuacct" or "cgroup2", for messages.</summary>
    public string Name => Version == 2 ? "cgroup2" : string.Join(',', Controllers);

    public bool Has(string controller) => Controllers.Contains(controller);

    public override string ToString() => $"{Name} at {OwnDirectory}";

    /// <summary>
    /// Every hierarchy that <paramref name="procSelfCgroup"/> (the text of <c>/proc/self/cgroup</c>) places the process in
    /// and that <paramref name="mounts"/> has mounted, with the engine's cgroup mapped onto the mount.
    /// Hierarchies that are not mounted are left out. Throws <see cref="CgroupException"/> when a hierarchy is mounted
    /// but none of its mounts shows the engine's cgroup (the mount's root lies below or beside it).
    /// </summary>
    public static IReadOnlyList<CgroupHierarchy> Discover(IReadOnlyList<MountInfo> mounts, string procSelfCgroup)
    {
        var hierarchies = new List<CgroupHierarchy>();
        foreach (string raw in procSelfCgroup.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
                continue;
            // "ID:controllers:path"; the path itself may contain ':'.
            int first = line.IndexOf(':');
            int second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (first < 0 || second < 0 || !int.TryParse(line.AsSpan(0, first), out int id))
                throw new CgroupException($"malformed /proc/self/cgroup line `{line}`");
            string[] controllers = line[(first + 1)..second].Split(',', StringSplitOptions.RemoveEmptyEntries);
            string ownCgroup = line[(second + 1)..];
            int version = id == 0 && controllers.Length == 0 ? 2 : 1;
            string name = version == 2 ? "cgroup2" : string.Join(',', controllers);

            var candidates = mounts.Where(m => version == 2
                ? m.FileSystemType == "cgroup2"
                : m.FileSystemType == "cgroup" && controllers.All(c => m.SuperOptionList.Contains(c))).ToList();
            if (candidates.Count == 0)
                continue;

            CheckCgroupPath(ownCgroup, name);
            CgroupHierarchy? found = null;
            foreach (MountInfo mount in candidates)
            {
                string? directory = ResolveDirectory(mount.MountPoint, mount.Root, ownCgroup);
                if (directory is not null)
                {
                    found = new CgroupHierarchy(version, id, controllers, mount.MountPoint, mount.Root, ownCgroup, directory);
                    break;
                }
            }
            hierarchies.Add(found ?? throw new CgroupException(
                $"the engine's cgroup `{ownCgroup}` in hierarchy {name} is outside every mount of that hierarchy " +
                $"({string.Join(", ", candidates.Select(m => $"root `{m.Root}` at `{m.MountPoint}`"))}); the engine cannot reach its own cgroup"));
        }
        return hierarchies;
    }

    /// <summary>
    /// The directory of cgroup <paramref name="cgroup"/> in a mount of <paramref name="mountRoot"/> at
    /// <paramref name="mountPoint"/>, or null when the cgroup is not at or below the mount's root.
    /// </summary>
    internal static string? ResolveDirectory(string mountPoint, string mountRoot, string cgroup)
    {
        string relative;
        if (mountRoot == "/")
            relative = cgroup;
        else if (cgroup == mountRoot)
            relative = "/";
        else if (cgroup.StartsWith(mountRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
            relative = cgroup[mountRoot.TrimEnd('/').Length..];
        else
            return null;
        return relative == "/" ? mountPoint : mountPoint.TrimEnd('/') + relative;
    }

    /// <summary>An absolute path without <c>.</c> or <c>..</c> components (a cgroup namespace shows <c>/..</c> for cgroups outside it).</summary>
    private static void CheckCgroupPath(string cgroup, string hierarchy)
    {
        if (!cgroup.StartsWith('/') || cgroup.Split('/').Any(part => part is "." or ".."))
            throw new CgroupException($"the engine's cgroup `{cgroup}` in hierarchy {hierarchy} is not a plain absolute path (is the engine outside its cgroup namespace?)");
    }
}
