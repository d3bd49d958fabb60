namespace Berth.Bench;

/// <summary>
/// One way a user drives an engine from the shell: a CLI and the daemon it talks to ("berth → berthd",
/// "docker → dockerd", "podman"). Every container it runs gets --network none and the engine's extra run flags.
/// </summary>
/// <param name="Name">as shown in the tables</param>
/// <param name="Prefix">the CLI with its global flags (-H, podman's private directories)</param>
/// <param name="RunExtra">flags every run/create gets</param>
/// <param name="Env">extra environment (a private DOCKER_CONFIG for the docker CLI)</param>
public sealed record CliEngine(string Name, string[] Prefix, string[] RunExtra, IReadOnlyDictionary<string, string>? Env = null)
{
    public const string Image = "busybox";

    /// <summary>Runs a CLI command; the result carries the wall time.</summary>
    public Exec.Result Cli(params string[] args) => Exec.Run([.. Prefix, .. args], captureStdout: true, Env);

    /// <summary>Argument vector of `run --rm busybox CMD...`.</summary>
    public string[] RunRm(params string[] cmd) => [.. Prefix, "run", "--rm", .. RunExtra, Image, .. cmd];

    /// <summary>Argument vector of `run -d busybox CMD...`.</summary>
    public string[] RunDetached(params string[] cmd) => [.. Prefix, "run", "-d", .. RunExtra, Image, .. cmd];

    public Exec.Result Time(string[] argv) => Exec.Run(argv, captureStdout: true, Env).Check();
}
