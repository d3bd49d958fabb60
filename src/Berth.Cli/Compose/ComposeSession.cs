using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Compose;
using Berth.Http;

namespace Berth.Cli.Compose;

/// <summary>
/// One `berth compose` subcommand against the daemon. Containers of the project are found by their compose labels,
/// so projects made by docker-compose or docker compose are seen the same way. Interactive verbs (exec, run, top,
/// port, pull, push) reuse berth's own verbs on the container or image.
/// </summary>
internal sealed partial class ComposeSession(VerbContext context, ComposeLoadOptions options)
{
    private static readonly Dictionary<string, string> None = new(StringComparer.Ordinal);
    private ComposeProject? _project;
    private DaemonClient? _client;

    private CliConsole Console => context.Console;

    private ComposeProject Project => _project ??= LoadProject();

    private ContainerPlanner Planner => new(Project);

    public async Task<int> RunAsync(string verb, string[] args, CancellationToken cancellationToken)
    {
        if (verb is not ("config" or "version"))
            _client = await context.ConnectAsync(cancellationToken);
        return verb switch
        {
            "up" => await UpAsync(args, cancellationToken),
            "down" => await DownAsync(args, cancellationToken),
            "ps" => await PsAsync(args, cancellationToken),
            "logs" => await LogsAsync(args, cancellationToken),
            "start" or "stop" or "restart" or "pause" or "unpause" or "kill" => await LifecycleAsync(verb, args, cancellationToken),
            "rm" => await RmAsync(args, cancellationToken),
            "exec" => await ExecAsync(args, cancellationToken),
            "run" => await RunOneOffAsync(args, cancellationToken),
            "config" => Config(args),
            "top" => await TopAsync(args, cancellationToken),
            "port" => await PortAsync(args, cancellationToken),
            "images" => await ImagesAsync(args, cancellationToken),
            "ls" => await LsAsync(args, cancellationToken),
            "pull" or "push" => await PullPushAsync(verb, args, cancellationToken),
            "build" => await BuildVerbAsync(args, cancellationToken),
            "version" => Print($"Berth Compose version {ComposeLabels.BerthComposeVersion}"),
            _ => throw new CliException(1, $"unknown docker command: \"compose {verb}\""),
        };
    }

    private DaemonClient Client => _client!;

    private ComposeProject LoadProject()
    {
        var project = ComposeLoader.Load(options);
        foreach (string warning in project.Warnings)
            Console.Err.WriteLine($"WARN[0000] {warning}");
        return project;
    }

    private int Print(string text)
    {
        Console.Out.WriteLine(text);
        return 0;
    }

    private void Status(string kind, string name, string what) => Console.Err.WriteLine($" {kind} {name}  {what}");

    /// <summary>The project's containers (by label), one-offs included only when asked, sorted by service and number.</summary>
    private async Task<List<ContainerSummary>> ContainersAsync(bool all, CancellationToken cancellationToken, bool oneOff = false, string? projectName = null)
    {
        var filters = new FilterArgs().Add("label", $"{ComposeLabels.Project}={projectName ?? Project.Name}");
        if (!oneOff)
            filters.Add("label", $"{ComposeLabels.OneOff}=False");
        var query = new QueryString().Flag("all", all).Filters(filters);
        var list = await Client.GetJsonAsync("/containers/json" + query, ApiJsonContext.Default.ListContainerSummary, cancellationToken);
        return list.OrderBy(c => c.Labels.GetValueOrDefault(ComposeLabels.Service), StringComparer.Ordinal).ThenBy(Number).ToList();
    }

    private static int Number(ContainerSummary container) =>
        int.TryParse(container.Labels.GetValueOrDefault(ComposeLabels.ContainerNumber), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;

    private static string Name(ContainerSummary container) => container.Names.Count > 0 ? container.Names[0].TrimStart('/') : container.Id[..12];

    private static string ServiceOf(ContainerSummary container) => container.Labels.GetValueOrDefault(ComposeLabels.Service, "");

    /// <summary>The services named on the command line (all of the project when none), each checked to exist.</summary>
    private List<string> Services(IReadOnlyList<string> names)
    {
        foreach (string name in names)
            if (!Project.Services.ContainsKey(name))
                throw new CliException(1, $"no such service: {name}");
        return names.Count > 0 ? names.ToList() : Project.Services.Keys.ToList();
    }

    private async Task<List<ContainerSummary>> ServiceContainersAsync(IReadOnlyList<string> services, bool all, CancellationToken cancellationToken)
    {
        var selected = Services(services).ToHashSet(StringComparer.Ordinal);
        return (await ContainersAsync(all, cancellationToken)).Where(c => selected.Contains(ServiceOf(c))).ToList();
    }

    /// <summary>Runs one of berth's own verbs (exec, top, port, pull ...) in this process, on the same daemon.</summary>
    private Task<int> BerthAsync(params string[] args)
    {
        string[] full = context.HostFlag is { } host ? ["-H", host, .. args] : args;
        return new BerthApp(Console, context.Environment).RunAsync(full, context.Signals);
    }

    private async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Client.SendAsync(new HttpClientRequest("GET", Client.Versioned(path)), cancellationToken);
        if (response.StatusCode == 404)
            return false;
        await DaemonClient.ThrowIfErrorAsync(response, cancellationToken);
        return true;
    }

    private async Task PostJsonAsync<T>(string path, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await Client.SendCheckedAsync(HttpClientRequest.Json("POST", Client.Versioned(path), body, type), cancellationToken);
    }

    private static string Escape(string segment) => QueryString.EscapePath(segment);
}
