namespace Berth.Bench;

/// <summary>
/// A private dockerd 20.10 (Debian's docker.io) started and stopped by bench/dockerd.sh: its own data root, exec root,
/// socket and containerd, and containers in the cgroup parent &lt;prefix&gt;-docker below the caller's own cgroup.
/// </summary>
public sealed class DockerDaemon
{
    private DockerDaemon(string directory, string cgroupParent)
    {
        Directory = directory;
        CgroupParent = cgroupParent;
    }

    public string Directory { get; }

    public string CgroupParent { get; }

    public string Host => "unix://" + Path.Combine(Directory, "docker.sock");

    public string SocketPath => Path.Combine(Directory, "docker.sock");

    public static bool IsInstalled => Exec.OnPath("dockerd") && Exec.OnPath("containerd");

    public int Pid => int.Parse(File.ReadAllText(Path.Combine(Directory, "dockerd.started")).Trim());

    /// <param name="networkNamespace">null: no bridge, no iptables (the start benchmarks run --network none); or a
    /// /run/netns path the caller made, where dockerd keeps docker0 and its iptables rules (the networking benchmark).</param>
    public static DockerDaemon Start(BenchContext context, string? networkNamespace = null)
    {
        var daemon = new DockerDaemon(Path.Combine(context.WorkDirectory, networkNamespace is null ? "dockerd" : "dockerd-net"), context.Prefix + "-docker");
        Exec.Checked([Script, "start", daemon.Directory, daemon.CgroupParent, .. networkNamespace is null ? Array.Empty<string>() : [networkNamespace]]);
        return daemon;
    }

    /// <summary>Stops dockerd (SIGTERM) and removes its directory; returns what the script said it had to clean up.</summary>
    public string Stop() => Exec.Run([Script, "stop", Directory, CgroupParent], captureStdout: true) is var r && r.ExitCode == 0
        ? r.Stderr.Trim()
        : $"bench/dockerd.sh stop exited {r.ExitCode}: {r.Stderr.Trim()}";

    /// <summary>The processes of this dockerd: itself, its containerd, and the containerd shims serving its containers.</summary>
    public (int Dockerd, int? Containerd, List<int> Shims) Processes()
    {
        int dockerd = Pid;
        int? containerd = null;
        var shims = new List<int>();
        foreach (var (pid, cmdline) in ProcessTable.All())
        {
            if (!cmdline.Contains(Directory + "/", StringComparison.Ordinal))
                continue;
            if (cmdline.StartsWith("containerd ", StringComparison.Ordinal) || cmdline.StartsWith("/usr/bin/containerd ", StringComparison.Ordinal))
                containerd = pid;
            else if (cmdline.Contains("containerd-shim", StringComparison.Ordinal))
                shims.Add(pid);
        }
        return (dockerd, containerd, shims);
    }

    private static string Script => Path.Combine(BenchPaths.RepositoryRoot, "bench", "dockerd.sh");
}
