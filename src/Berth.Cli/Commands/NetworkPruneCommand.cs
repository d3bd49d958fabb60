using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth network prune [-f] [--filter]</c>: POST /networks/prune after docker's prompt; prints the networks removed
/// and, as docker, no reclaimed space.
/// </summary>
public sealed class NetworkPruneCommand : Verb
{
    private readonly Option<string[]> _filter = Flags.List("--filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter");
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Do not prompt for confirmation");

    public NetworkPruneCommand() : base("network prune", "network prune [OPTIONS]", "Remove all unused networks", ArgsRule.None)
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
        if (!parse.GetValue(_force) && !await PruneReport.ConfirmedAsync(context, "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?", cancellationToken))
            return 0;
        var (_, output) = await RunAsync(await context.ConnectAsync(cancellationToken), filters, cancellationToken);
        await PruneReport.WriteAsync(context, output, null);
        return 0;
    }

    /// <summary>docker's network.RunPrune, also a step of system prune (networks free no space).</summary>
    internal static async Task<(long Space, string Output)> RunAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/networks/prune", new QueryString(), filters, ApiJsonContext.Default.NetworkPruneResponse, cancellationToken);
        return (0, PruneReport.Deleted("Deleted Networks:", response.NetworksDeleted));
    }
}
