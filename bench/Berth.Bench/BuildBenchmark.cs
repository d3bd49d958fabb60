using System.Text;

namespace Berth.Bench;

/// <summary>
/// Issue 15: building the seed's Dockerfile shape (10 instructions over the Debian minbase image: a dependency list
/// COPYed, a dependency step that writes 12 MiB, the script COPYed last, a RUN on it, CMD) three ways, interleaved per
/// round: cold (<c>--no-cache</c>), fully cached (the same context again), and after the last COPY's source changed
/// (steps 8-10 rebuilt). Engines: berth CLI → berthd, docker CLI → berthd and docker CLI → dockerd (both
/// <c>DOCKER_BUILDKIT=0</c>, the classic builder), and buildah (<c>bud --layers</c>, its cache, private storage, runc).
/// Every RUN has no network (<c>--network none</c>): the bench's berthd has none, and no step needs one.
/// </summary>
public sealed class BuildBenchmark(BenchContext context, Peers peers)
{
    /// <summary>The seed's recipe (FROM python:3, ADD my_script.py, RUN pip install, CMD) on the local Debian image:
    /// "pip install" is three 4 MiB "wheels" written from /dev/urandom (no network in the bench).</summary>
    public const string Dockerfile = """
        FROM debian-minbase:bench
        LABEL org.opencontainers.image.title=seed-app
        ENV APP_HOME=/app LANG=C.UTF-8
        ARG VERSION=1
        WORKDIR /app
        COPY requirements.txt ./
        RUN mkdir -p /opt/deps && for p in $(cat requirements.txt); do head -c 4194304 /dev/urandom > /opt/deps/$p.whl; done
        COPY my_script.sh ./
        RUN chmod 0755 my_script.sh && ./my_script.sh > /app/built.txt
        CMD ["/app/my_script.sh"]
        """;

    public Dictionary<string, Samples> Results { get; } = [];

    public List<string> Engines { get; } = [];

    public static string[] Phases => ["cold", "cached", "changed"];

    public void Run(Report report)
    {
        var debian = DebianImageArchive.Ensure(context);
        int rounds = context.Count(4, 2);
        var engines = new List<(string Name, Func<string, bool, Exec.Result> Build, Action<string> Remove)>();
        var dockerEnv = new Dictionary<string, string> { ["DOCKER_CONFIG"] = context.Dir("docker-cli-config"), ["DOCKER_BUILDKIT"] = "0" };

        void AddCli(string name, CliEngine engine, string[] prefix, IReadOnlyDictionary<string, string>? env)
        {
            engine.Cli("load", "-i", debian.Path).Check();
            engines.Add((name,
                (dir, noCache) => Exec.Run([.. prefix, "build", "--network", "none", "-t", "bench-build:seed", .. (noCache ? new[] { "--no-cache" } : []), dir], captureStdout: true, env).Check(),
                _ => engine.Cli("rmi", "-f", "bench-build:seed")));
        }
        AddCli("berth → berthd", peers.BerthCli, peers.BerthCli.Prefix, null);
        AddCli("docker → berthd", peers.DockerToBerthd, peers.DockerToBerthd.Prefix, dockerEnv);
        if (peers.DockerToDockerd is { } dockerd)
            AddCli("docker → dockerd", dockerd, dockerd.Prefix, dockerEnv);
        string buildahDir = context.Dir("buildah");
        string[] buildah = ["buildah", "--root", Path.Combine(buildahDir, "root"), "--runroot", Path.Combine(buildahDir, "run"), "--storage-driver", "overlay"];
        var buildahEnv = new Dictionary<string, string> { ["TMPDIR"] = context.Dir("buildah-tmp") };
        bool withBuildah = context.SlowPeers && Exec.OnPath("buildah") && Exec.OnPath("runc");
        if (withBuildah)
        {
            Exec.Run([.. buildah, "pull", "-q", "docker-archive:" + debian.Path], captureStdout: true, buildahEnv).Check();
            engines.Add(("buildah", (dir, noCache) => Exec.Run([.. buildah, "bud", "--layers", "--runtime", "runc", "--network", "none",
                    "--cgroup-parent", context.OwnMemoryCgroup + "/" + context.Prefix + "-buildah", "--ulimit", "nofile=20000:20000",
                    "-t", "bench-build:seed", .. (noCache ? new[] { "--no-cache" } : []), dir], captureStdout: true, buildahEnv).Check(),
                _ => Exec.Run([.. buildah, "rmi", "-f", "bench-build:seed"], captureStdout: true, buildahEnv)));
            peers.Versions.Add(("buildah", Exec.VersionOf("buildah", "--version")));
        }
        Engines.AddRange(engines.Select(e => e.Name));
        context.Log($"11. build: {engines.Count} engines, {rounds} rounds after 1 warm-up round");

        var contexts = engines.Select((e, i) => MakeContext(context.Dir($"build-context-{i}"))).ToList();
        foreach (var (name, _, _) in engines)
            foreach (string phase in Phases)
                Results[$"{name}/{phase}"] = new Samples($"{phase}: {name}");
        try
        {
            // Each engine runs its three phases in a row (engines interleaved within each round): its cached build must
            // follow its own cold one, because the berth CLI and the docker CLI share berthd's cache, and a --no-cache
            // build by one of them moves the cache's entries to its own new chain of images.
            for (int round = -1; round < rounds; round++)
            {
                for (int i = 0; i < engines.Count; i++)
                {
                    foreach (string phase in Phases)
                    {
                        // Unique per engine too: the berth CLI and the docker CLI share berthd's cache.
                        if (phase == "changed")
                            File.WriteAllText(Path.Combine(contexts[i], "my_script.sh"), $"#!/bin/sh\necho hello from round {round} of engine {i}\n");
                        var result = engines[i].Build(contexts[i], phase == "cold");
                        // A fully cached classic build runs no container ("Running in"); buildah says "Using cache" per step.
                        string said = result.Stdout + result.Stderr;
                        if (phase == "cached" && (said.Contains("Running in", StringComparison.Ordinal) || !said.Contains("Using cache", StringComparison.Ordinal)))
                            throw new InvalidOperationException($"{engines[i].Name}: the cached rebuild was not fully cached:\n{said}");
                        if (round >= 0)
                            Results[$"{engines[i].Name}/{phase}"].Add(result.Elapsed);
                    }
                }
            }
        }
        finally
        {
            foreach (var engine in engines)
                engine.Remove("bench-build:seed");
            if (withBuildah)
            {
                Exec.Run([.. buildah, "rmi", "-a", "-f"], captureStdout: true, buildahEnv);
                // containers/storage's overlay driver keeps its home bind-mounted on itself (private): unmount it, deepest first.
                foreach (string mount in File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
                             .Where(m => m.StartsWith(buildahDir + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length).ToList())
                    Exec.Run(["umount", "-l", mount]);
            }
        }

        var body = new StringBuilder();
        body.AppendLine($"Building the seed's Dockerfile shape, 10 instructions over the Debian minbase image ({debian.LayerSize / 1048576.0:F0} MiB), RUN without network:");
        body.AppendLine();
        body.AppendLine("```dockerfile");
        body.AppendLine(Dockerfile);
        body.AppendLine("```");
        body.AppendLine();
        body.AppendLine($"{rounds} rounds after 1 warm-up round; in each round every engine in turn (interleaved) builds cold, then cached, then changed. **cold**: `build --no-cache`; **cached**: the same build again (every step from the cache); **changed**: `my_script.sh` (the last COPY's source) rewritten, then built (COPY, RUN, CMD rebuilt). The docker CLI builds with `DOCKER_BUILDKIT=0` (the classic builder: dockerd 20.10's, and berthd's); buildah with `bud --layers` (its layer cache) and runc. Wall time of the CLI command, milliseconds.");
        body.AppendLine();
        body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], Results.Values.Where(s => s.Count > 0).OrderBy(s => Array.IndexOf(Phases, s.Name.Split(':')[0])).Select(s => Report.Row(s))));
        if (peers.DockerToDockerd is not null)
        {
            var ratios = Phases.Select(p => Report.RatioRow(Samples.Ratio($"{p}: berth → berthd / docker → dockerd", Results[$"berth → berthd/{p}"], Results[$"docker → dockerd/{p}"]))).ToList();
            if (withBuildah)
                ratios.AddRange(Phases.Select(p => Report.RatioRow(Samples.Ratio($"{p}: berth → berthd / buildah", Results[$"berth → berthd/{p}"], Results[$"buildah/{p}"]))));
            body.AppendLine(Report.Table(["ratio", "min", "median", "max"], ratios));
        }
        report.Section("11. Build", body.ToString());
    }

    private static string MakeContext(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), Dockerfile + "\n");
        File.WriteAllText(Path.Combine(dir, "requirements.txt"), "pystrich\nrequests\nflask\n");
        File.WriteAllText(Path.Combine(dir, "my_script.sh"), "#!/bin/sh\necho hello from the seed\n");
        return dir;
    }
}
