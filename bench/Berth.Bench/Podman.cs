namespace Berth.Bench;

/// <summary>
/// podman 4.3 with everything private: root, runroot, tmpdir, network and volume directories under the run's
/// directory, the cgroupfs manager, runc (crun refuses this hybrid host), and an absolute cgroup parent below the
/// caller's memory cgroup (podman takes one absolute path for all hierarchies). Containers run with --network none and
/// the rlimits this host allows (root lacks CAP_SYS_RESOURCE, so podman's default nofile limit fails).
/// </summary>
public sealed class Podman
{
    private Podman(string directory, string cgroupParent)
    {
        Directory = directory;
        CgroupParent = cgroupParent;
    }

    public string Directory { get; }

    public string CgroupParent { get; }

    public static bool IsInstalled => Exec.OnPath("podman") && Exec.OnPath("conmon") && Exec.OnPath("runc");

    public string[] GlobalArgs =>
    [
        "podman", "--root", Path.Combine(Directory, "root"), "--runroot", Path.Combine(Directory, "run"),
        "--tmpdir", Path.Combine(Directory, "tmp"), "--network-config-dir", Path.Combine(Directory, "networks"),
        "--volumepath", Path.Combine(Directory, "volumes"), "--storage-driver", "overlay", "--cgroup-manager", "cgroupfs",
        "--events-backend", "file", "--runtime", "runc",
    ];

    public string[] RunArgs => ["--network", "none", .. LimitArgs];

    /// <summary>The rlimits this host allows and the cgroup parent, without a network choice.</summary>
    public string[] LimitArgs => ["--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768", "--cgroup-parent", CgroupParent];

    public static Podman Create(BenchContext context, string name = "podman") =>
        new(context.Dir(name), context.OwnMemoryCgroup + "/" + context.Prefix + "-" + name);

    /// <summary>The conmon processes of this podman's containers.</summary>
    public List<int> Conmons() =>
        ProcessTable.All().Where(p => p.Cmdline.Contains("conmon", StringComparison.Ordinal) && p.Cmdline.Contains(Directory + "/", StringComparison.Ordinal))
            .Select(p => p.Pid).ToList();

    /// <summary>Removes every container and image, then what is left under its directory (unmounting first).</summary>
    public List<string> Clean()
    {
        var notes = new List<string>();
        foreach (var args in new[] { new[] { "rm", "-af", "-t", "0" }, ["rmi", "-af"] })
        {
            var r = Exec.Run([.. GlobalArgs, .. args], captureStdout: true);
            if (r.ExitCode != 0)
                notes.Add($"podman {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr.Trim()}");
        }
        var mounts = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
            .Where(m => m.StartsWith(Directory + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length).ToList();
        foreach (string mount in mounts)
        {
            notes.Add("podman left mount " + mount);
            Exec.Run(["umount", "-l", mount]);
        }
        System.IO.Directory.Delete(Directory, recursive: true);
        return notes;
    }
}
