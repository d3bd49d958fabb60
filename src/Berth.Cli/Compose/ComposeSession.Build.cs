using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Compose;

namespace Berth.Cli.Compose;

/// <summary>
/// build, and what up builds: a service with <c>build:</c> is built by berth's own <c>build</c> verb (the context
/// tarred as <c>berth build</c> tars it, <c>POST /build</c>, the classic builder's stream printed), tagged with its image
/// name (<c>image:</c>, else <c>PROJECT-SERVICE</c> as compose v2 names it) and its <c>build.tags</c>.
/// </summary>
internal sealed partial class ComposeSession
{
    private static readonly Dictionary<string, string> BuildValued = new(StringComparer.Ordinal) { ["--build-arg"] = "build-arg" };

    private static readonly Dictionary<string, string> BuildBooleans = new(StringComparer.Ordinal)
    {
        ["--no-cache"] = "no-cache", ["--pull"] = "pull", ["-q"] = "quiet", ["--quiet"] = "quiet",
    };

    private async Task<int> BuildVerbAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("build", arguments, BuildValued, BuildBooleans);
        // As compose, services without build: are skipped, and two services building one image build it once.
        var built = new HashSet<string>(StringComparer.Ordinal);
        foreach (string service in Services(args.Positionals))
            if (ServiceBuild.Of(Project, service) is { } build && built.Add(build.Tags[0]))
                await BuildServiceAsync(service, build, args.Bool("no-cache"), args.Bool("pull"), args.Bool("quiet"), args.Values("build-arg"));
        return 0;
    }

    /// <summary>Builds one service's image; a failed build stops compose with the build's exit code (its message is already printed).</summary>
    private async Task BuildServiceAsync(string service, ServiceBuild build, bool noCache, bool pull, bool quiet, IReadOnlyList<string> extraArgs)
    {
        var argv = new List<string> { "build" };
        foreach (string tag in build.Tags)
            argv.AddRange(["-t", tag]);
        if (build.Dockerfile is { } dockerfile)
            argv.AddRange(["-f", dockerfile]);
        foreach (var (key, value) in build.Args)
            argv.AddRange(["--build-arg", $"{key}={value}"]);
        foreach (string arg in extraArgs)
            argv.AddRange(["--build-arg", arg]);
        if (build.Target is { } target)
            argv.AddRange(["--target", target]);
        foreach (var (key, value) in build.Labels)
            argv.AddRange(["--label", $"{key}={value}"]);
        if (build.Network is { } network)
            argv.AddRange(["--network", network]);
        foreach (string host in build.ExtraHosts)
            argv.AddRange(["--add-host", host]);
        if (noCache || build.NoCache)
            argv.Add("--no-cache");
        if (pull || build.Pull)
            argv.Add("--pull");
        if (quiet)
            argv.Add("-q");
        argv.Add(build.Context);
        if (!quiet)
            Console.Err.WriteLine($" {service} Building");
        int code = await BerthAsync([.. argv]);
        if (code != 0)
            throw new CliException(code, $"service \"{service}\" failed to build: exit code {code}");
        if (!quiet)
            Console.Err.WriteLine($" {service} Built");
    }

    /// <summary>The image ID a service's containers should run (for recreating them when a build changed it), after up made sure it exists.</summary>
    private async Task<string> ImageIdAsync(string service, CancellationToken cancellationToken) =>
        (await Client.GetJsonAsync($"/images/{Escape(Planner.ImageName(service))}/json", ApiJsonContext.Default.ImageInspect, cancellationToken)).Id;
}
