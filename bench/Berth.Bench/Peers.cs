namespace Berth.Bench;

/// <summary>
/// Everything the benchmarks compare, started once per run with private state: berthd (driven by the berth CLI and by
/// the docker CLI), a private dockerd and podman (the slow peers, skipped by --quick), runc and crun bundles, and the
/// floor (unshare + mount proc + chroot + true). <see cref="Stop"/> stops all of it and reports what was left.
/// </summary>
public sealed class Peers
{
    private readonly BenchContext _context;
    private readonly List<string> _teardown = [];

    private Peers(BenchContext context) => _context = context;

    public Berth.TestImages.TestImageSet Images { get; private set; } = null!;

    public string DockerCli { get; private set; } = "docker";

    public BerthDaemon Berthd { get; private set; } = null!;

    public DockerDaemon? Dockerd { get; private set; }

    public Podman? PodmanPeer { get; private set; }

    public OciBundle? Runc { get; private set; }

    public OciBundle? Crun { get; private set; }

    public CliEngine BerthCli { get; private set; } = null!;

    /// <summary>
    /// An older build of Berth (berth, berthd and helpers from BERTH_BENCH_BASELINE, which `make bench BASELINE=rev`
    /// builds), run beside this one to show a start-latency regression or gain in the same run; null without one.
    /// </summary>
    public CliEngine? BaselineCli { get; private set; }

    public BerthDaemon? BaselineBerthd { get; private set; }

    public CliEngine DockerToBerthd { get; private set; } = null!;

    public CliEngine? DockerToDockerd { get; private set; }

    public CliEngine? PodmanCli { get; private set; }

    /// <summary>Peers that were not measured, and why.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>Name and version of every program measured.</summary>
    public List<(string What, string Version)> Versions { get; } = [];

    /// <summary>Argument vector of the floor: new mount, pid, uts, ipc, net and cgroup namespaces, proc mounted, chroot, true.</summary>
    public string[] FloorArgs => ["unshare", "--mount", "--pid", "--fork", "--uts", "--ipc", "--net", "--cgroup",
        "--mount-proc=" + Path.Combine(FloorRootfs, "proc"), "chroot", FloorRootfs, "/bin/true"];

    public string FloorRootfs { get; private set; } = "";

    /// <summary>All engines driven through a CLI, berth first.</summary>
    public IEnumerable<CliEngine> CliEngines =>
        new[] { BerthCli, DockerToBerthd, DockerToDockerd, PodmanCli }.Where(e => e is not null)!;

    public static Peers Start(BenchContext context)
    {
        var peers = new Peers(context);
        peers.StartAll();
        return peers;
    }

    private void StartAll()
    {
        Images = Berth.TestImages.TestImages.Ensure();
        DockerCli = Exec.Output("sh", "-c", "command -v docker");
        if (DockerCli == "/usr/bin/docker")
            _context.Log("warning: the docker CLI first on PATH is Debian's /usr/bin/docker, not the 28.x client");
        var dockerEnv = new Dictionary<string, string> { ["DOCKER_CONFIG"] = _context.Dir("docker-cli-config") };
        string[] none = ["--network", "none"];

        _context.Log("starting berthd");
        Berthd = BerthDaemon.Start(_context, networkNamespace: BerthDaemon.NoNetworking(BenchPaths.HelperDirectory));
        string berth = Path.Combine(BenchPaths.HelperDirectory, "berth");
        BerthCli = new CliEngine("berth → berthd", [berth, "-H", Berthd.Host], none);
        DockerToBerthd = new CliEngine("docker → berthd", [DockerCli, "-H", Berthd.Host], none, dockerEnv);
        BerthCli.Cli("load", "-i", Images.BusyboxDockerArchive).Check();
        Versions.Add(("berth, berthd", Exec.Output(berth, "--version") + $" (NativeAOT, commit {Exec.Output("git", "-C", BenchPaths.RepositoryRoot, "rev-parse", "--short", "HEAD")})"));
        Versions.Add(("docker CLI", $"{Exec.VersionOf(DockerCli, "--version")} ({DockerCli})"));
        StartBaseline(none);

        if (!_context.SlowPeers)
            Skipped.Add("dockerd and podman: not measured in a quick run (`make bench` measures them)");
        else if (!DockerDaemon.IsInstalled)
            Skipped.Add("dockerd: not installed (bench/setup.sh installs docker.io)");
        else
        {
            _context.Log("starting dockerd");
            Dockerd = DockerDaemon.Start(_context);
            DockerToDockerd = new CliEngine("docker → dockerd", [DockerCli, "-H", Dockerd.Host], none, dockerEnv);
            DockerToDockerd.Cli("load", "-i", Images.BusyboxDockerArchive).Check();
            Versions.Add(("dockerd", Exec.VersionOf("dockerd", "--version")));
            Versions.Add(("containerd", Exec.VersionOf("containerd", "--version")));
        }
        if (_context.SlowPeers && !Podman.IsInstalled)
            Skipped.Add("podman: not installed (bench/setup.sh installs it)");
        else if (_context.SlowPeers)
        {
            PodmanPeer = Podman.Create(_context);
            PodmanCli = new CliEngine("podman", PodmanPeer.GlobalArgs, PodmanPeer.RunArgs);
            PodmanCli.Cli("load", "-i", Images.BusyboxDockerArchive).Check();
            Versions.Add(("podman", Exec.VersionOf("podman", "--version")));
            Versions.Add(("conmon", Exec.VersionOf("conmon", "--version")));
        }

        string bundles = _context.Dir("bundles");
        if (OciBundle.IsInstalled("runc"))
        {
            Runc = OciBundle.Create("runc", Images.RootfsDirectory, _context.Prefix + "-runc", bundles);
            Versions.Add(("runc", Exec.VersionOf("runc", "--version")));
        }
        else
            Skipped.Add("runc: not installed");
        if (OciBundle.IsInstalled("crun"))
        {
            Crun = OciBundle.Create("crun", Images.RootfsDirectory, _context.OwnMemoryCgroup + "/" + _context.Prefix + "-crun", bundles);
            Versions.Add(("crun", Exec.VersionOf("crun", "--version")));
        }
        else
            Skipped.Add("crun: not installed");
        FloorRootfs = (Runc ?? Crun)?.Rootfs ?? Images.RootfsDirectory;
        Versions.Add(("floor: unshare, chroot", Exec.VersionOf("unshare", "--version")));
    }

    private void StartBaseline(string[] none)
    {
        if (Environment.GetEnvironmentVariable("BERTH_BENCH_BASELINE") is not { Length: > 0 } bin)
            return;
        string berth = Path.Combine(bin, "berth"), berthd = Path.Combine(bin, "berthd");
        if (!File.Exists(berth) || !File.Exists(berthd))
            throw new InvalidOperationException($"BERTH_BENCH_BASELINE={bin} has no berth and berthd (make bench BASELINE=rev builds one)");
        _context.Log("starting the baseline berthd from " + bin);
        BaselineBerthd = BerthDaemon.Start(_context, "berthd-baseline", networkNamespace: BerthDaemon.NoNetworking(bin), binDirectory: bin);
        string version = Exec.Output(berth, "--version");
        BaselineCli = new CliEngine($"baseline berth → berthd ({version.Split(' ')[^1]})", [berth, "-H", BaselineBerthd.Host], none);
        BaselineCli.Cli("load", "-i", Images.BusyboxDockerArchive).Check();
        Versions.Add(("baseline berth, berthd", $"{version} (from {bin})"));
    }

    /// <summary>Stops everything started, in reverse; returns notes on what had to be cleaned up.</summary>
    public List<string> Stop()
    {
        if (PodmanPeer is not null)
        {
            _context.Log("cleaning podman");
            _teardown.AddRange(PodmanPeer.Clean());
        }
        if (Dockerd is not null)
        {
            _context.Log("stopping dockerd");
            string said = Dockerd.Stop();
            if (said.Length > 0)
                _teardown.Add("dockerd.sh stop: " + said);
        }
        if (BaselineBerthd is not null)
        {
            _context.Log("stopping the baseline berthd");
            if (!BaselineBerthd.Stop() || BaselineBerthd.ExitCode != 0)
                _teardown.Add($"the baseline berthd did not stop cleanly on SIGTERM: {BaselineBerthd.LogTail(10)}");
            BaselineBerthd.Dispose();
        }
        _context.Log("stopping berthd");
        bool stopped = Berthd.Stop();
        if (!stopped || Berthd.ExitCode != 0)
            _teardown.Add($"berthd did not stop cleanly on SIGTERM (exit {Berthd.ExitCode?.ToString() ?? "none: killed"}): {Berthd.LogTail(10)}");
        Berthd.Dispose();
        Runc?.Dispose();
        Crun?.Dispose();
        return _teardown;
    }
}
