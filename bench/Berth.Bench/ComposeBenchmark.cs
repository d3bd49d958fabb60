using System.Text;

namespace Berth.Bench;

/// <summary>
/// Issue 17: <c>up -d</c> and <c>down</c> of a 10-service project on busybox (each service <c>sleep</c>, SIGKILL as its
/// stop signal so no stop waits out a timeout, <c>network_mode: none</c> because the bench's berthd has no networking
/// and the private dockerd no bridge), interleaved per round: berth compose → berthd, docker-compose 1.29 → berthd,
/// docker-compose 1.29 → dockerd. Both tools create the containers in parallel and start them as they are created.
/// </summary>
public sealed class ComposeBenchmark(BenchContext context, Peers peers)
{
    public const int Services = 10;

    private const string DockerCompose = "docker-compose";

    public Dictionary<string, Samples> Results { get; } = [];

    public static bool IsInstalled => Exec.OnPath(DockerCompose);

    public void Run(Report report)
    {
        int rounds = context.Count(5, 2);
        string directory = context.Dir("compose-project");
        var yaml = new StringBuilder("services:\n");
        for (int i = 1; i <= Services; i++)
            yaml.Append($"  s{i}:\n    image: busybox\n    command: sleep 1000\n    stop_signal: SIGKILL\n    network_mode: none\n");
        string file = Path.Combine(directory, "docker-compose.yml");
        File.WriteAllText(file, yaml.ToString());

        string berth = peers.BerthCli.Prefix[0];
        var engines = new List<(string Name, string[] Prefix, IReadOnlyDictionary<string, string>? Env)>
        {
            ("berth compose → berthd", [berth, "-H", peers.Berthd.Host, "compose", "-f", file, "-p", "benchb"], null),
            ("docker-compose → berthd", [DockerCompose, "-f", file, "-p", "benchdb"], new Dictionary<string, string> { ["DOCKER_HOST"] = peers.Berthd.Host }),
        };
        if (peers.Dockerd is { } dockerd)
            engines.Add(("docker-compose → dockerd", [DockerCompose, "-f", file, "-p", "benchdd"], new Dictionary<string, string> { ["DOCKER_HOST"] = dockerd.Host }));
        context.Log($"12. compose up -d and down of {Services} services: {engines.Count} engines, {rounds} rounds after 1 warm-up round");
        foreach (var engine in engines)
            foreach (string verb in new[] { "up -d", "down" })
                Results[$"{engine.Name}/{verb}"] = new Samples($"{verb}: {engine.Name}");
        try
        {
            for (int round = -1; round < rounds; round++)
            {
                foreach (string verb in new[] { "up -d", "down" })
                    foreach (var (name, prefix, env) in engines)
                    {
                        var result = Exec.Run([.. prefix, .. verb.Split(' ')], captureStdout: true, env).Check();
                        if (round >= 0)
                            Results[$"{name}/{verb}"].Add(result.Elapsed);
                    }
            }
        }
        finally
        {
            foreach (var (_, prefix, env) in engines)
                Exec.Run([.. prefix, "down"], captureStdout: true, env);
        }

        var body = new StringBuilder();
        body.AppendLine($"`up -d` then `down` of a {Services}-service project (busybox `sleep 1000`, `stop_signal: SIGKILL`, `network_mode: none`), {rounds} rounds after 1 warm-up round, interleaved: every engine's `up -d`, then every engine's `down`. docker-compose is Debian's 1.29 (Python, docker-py). Wall time of the command, milliseconds.");
        body.AppendLine();
        body.AppendLine(Report.Table(["what", "min ms", "median ms", "max ms"], Results.Values.OrderBy(s => s.Name.StartsWith("down", StringComparison.Ordinal)).Select(s => Report.Row(s))));
        if (peers.Dockerd is not null)
            body.AppendLine(Report.Table(["ratio", "min", "median", "max"], new[] { "up -d", "down" }.Select(v =>
                Report.RatioRow(Samples.Ratio($"{v}: berth compose → berthd / docker-compose → dockerd", Results[$"berth compose → berthd/{v}"], Results[$"docker-compose → dockerd/{v}"])))));
        report.Section("12. Compose", body.ToString());
    }
}
