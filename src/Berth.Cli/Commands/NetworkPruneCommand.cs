using Berth.Api;
using Berth.Cli.Api;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth network prune [-f] [--filter]</c>: POST /networks/prune after docker's prompt; prints the networks removed
/// and, as docker, no reclaimed space.
/// </summary>
public sealed class NetworkPruneCommand : PruneVerb
{
    public NetworkPruneCommand() : base("network prune", "Remove all unused networks", allDescription: null)
    {
    }

    protected override bool ReportsSpace => false;

    protected override string Warning(bool all) => "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?";

    public override async Task<(long Space, string Output)> PruneAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/networks/prune", new QueryString(), filters, ApiJsonContext.Default.NetworkPruneResponse, cancellationToken);
        return (0, PruneReport.Deleted("Deleted Networks:", response.NetworksDeleted));
    }
}
