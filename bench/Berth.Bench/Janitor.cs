namespace Berth.Bench;

/// <summary>
/// Finds and removes what the engines left behind, and reports it: cgroups named after this run (relative to the
/// caller's cgroup in each hierarchy, or below the caller's memory cgroup path in every hierarchy, as podman and
/// crun take an absolute parent), the intermediate directories of that path that the run created, mounts under the
/// run's directory and processes still running from it. Nothing else is touched: no other cgroup, no other process.
/// </summary>
public sealed class Janitor
{
    private readonly BenchContext _context;
    private readonly List<string> _createdIntermediates = [];
    private readonly HashSet<string> _existedBefore = new(StringComparer.Ordinal);

    public Janitor(BenchContext context)
    {
        _context = context;
        foreach (var (dir, _) in Hierarchies())
            foreach (string path in Intermediates(dir))
                if (Directory.Exists(path))
                    _existedBefore.Add(path);
    }

    /// <summary>Removes the cgroups the engines left and returns one line per directory removed, and per one that could not be.</summary>
    public List<string> SweepCgroups()
    {
        var report = new List<string>();
        foreach (var (dir, controller) in Hierarchies())
        {
            var roots = new[] { Path.Join(dir, BenchContext.OwnCgroup(controller)), Path.Join(dir, _context.OwnMemoryCgroup) }.Distinct();
            foreach (string root in roots)
            {
                if (!Directory.Exists(root))
                    continue;
                foreach (string top in Directory.EnumerateDirectories(root, _context.Prefix + "*"))
                {
                    var all = Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).Append(top)
                        .OrderByDescending(p => p.Length).ToList();
                    foreach (string cg in all)
                    {
                        try
                        {
                            Directory.Delete(cg);
                            report.Add($"removed {cg}");
                        }
                        catch (IOException e)
                        {
                            report.Add($"LEAK: could not remove {cg}: {e.Message}");
                        }
                    }
                }
            }
            foreach (string path in Intermediates(dir).Reverse())
            {
                if (_existedBefore.Contains(path) || !Directory.Exists(path))
                    continue;
                try
                {
                    Directory.Delete(path);
                    _createdIntermediates.Add(path);
                }
                catch (IOException)
                {
                    // someone else's cgroups live below it now: not ours to remove
                }
            }
        }
        return report;
    }

    /// <summary>Intermediate cgroup directories (the caller's memory path in other hierarchies) that the run created and removed.</summary>
    public IReadOnlyList<string> CreatedIntermediates => _createdIntermediates;

    /// <summary>Mounts under the run's directory, processes running from it, and cgroups of this run: each one is a leak.</summary>
    public List<string> FindLeaks()
    {
        var leaks = new List<string>();
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string mountPoint = line.Split(' ')[4];
            if (mountPoint.Contains(_context.Prefix, StringComparison.Ordinal))
                leaks.Add("mount " + mountPoint);
        }
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out int pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(_context.WorkDirectory, StringComparison.Ordinal) || cmdline.Contains(_context.Prefix, StringComparison.Ordinal))
                    leaks.Add($"process {pid}: {cmdline.Trim()}");
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        foreach (var (dir, controller) in Hierarchies())
            foreach (string root in new[] { Path.Join(dir, BenchContext.OwnCgroup(controller)), Path.Join(dir, _context.OwnMemoryCgroup) }.Distinct())
                if (Directory.Exists(root))
                    leaks.AddRange(Directory.EnumerateDirectories(root, _context.Prefix + "*").Select(d => "cgroup " + d));
        return leaks;
    }

    /// <summary>Each cgroup hierarchy mounted under /sys/fs/cgroup and the controller name /proc/self/cgroup uses for it.</summary>
    private static IEnumerable<(string Dir, string Controller)> Hierarchies()
    {
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            yield return ("/sys/fs/cgroup", "");
            yield break;
        }
        foreach (string dir in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            if (new DirectoryInfo(dir).LinkTarget is not null)
                continue;
            string name = Path.GetFileName(dir);
            yield return (dir, name switch { "unified" => "", "systemd" => "name=systemd", _ => name.Split(',')[0] });
        }
    }

    /// <summary>The directories along the caller's memory cgroup path inside hierarchy <paramref name="dir"/>, top first.</summary>
    private IEnumerable<string> Intermediates(string dir)
    {
        string path = dir;
        foreach (string part in _context.OwnMemoryCgroup.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Join(path, part);
            yield return path;
        }
    }
}
