using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary><c>berth container prune [-f] [--filter]</c>: POST /containers/prune after docker's prompt, the ids removed and the space reclaimed.</summary>
public sealed class ContainerPruneCommand : Verb
{
    private readonly Option<string[]> _filter = Flags.List("--filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter");
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Do not prompt for confirmation");

    public ContainerPruneCommand() : base("container prune", "container prune [OPTIONS]", "Remove all stopped containers", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_filter);
        command.Options.Add(_force);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filters = FilterFlags.Read(parse, _filter);
        if (!parse.GetValue(_force) && !await PruneReport.ConfirmedAsync(context, "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?", cancellationToken))
            return 0;
        var (space, output) = await RunAsync(await context.ConnectAsync(cancellationToken), filters, cancellationToken);
        await PruneReport.WriteAsync(context, output, space);
        return 0;
    }

    /// <summary>docker's container.RunPrune, also a step of system prune.</summary>
    internal static async Task<(long Space, string Output)> RunAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/containers/prune", new QueryString(), filters, ApiJsonContext.Default.ContainerPruneResponse, cancellationToken);
        return (response.SpaceReclaimed, PruneReport.Deleted("Deleted Containers:", response.ContainersDeleted));
    }
}
