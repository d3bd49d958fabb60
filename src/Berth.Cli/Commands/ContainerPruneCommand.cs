using Berth.Api;
using Berth.Cli.Api;

namespace Berth.Cli.Commands;

/// <summary><c>berth container prune [-f] [--filter]</c>: POST /containers/prune after docker's prompt, the ids removed and the space reclaimed.</summary>
public sealed class ContainerPruneCommand : PruneVerb
{
    public ContainerPruneCommand() : base("container prune", "Remove all stopped containers", allDescription: null)
    {
    }

    protected override string Warning(bool all) => "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?";

    public override async Task<(long Space, string Output)> PruneAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/containers/prune", new QueryString(), filters, ApiJsonContext.Default.ContainerPruneResponse, cancellationToken);
        return (response.SpaceReclaimed, PruneReport.Deleted("Deleted Containers:", response.ContainersDeleted));
    }
}
