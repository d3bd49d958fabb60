using Berth.Api;
using Berth.Cli.Api;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth volume prune [-a] [-f] [--filter]</c>: POST /volumes/prune, after docker's confirmation prompt (skipped
/// with -f). Docker 23+ removes anonymous volumes only; -a sends the filter all=true for named ones too.
/// </summary>
public sealed class VolumePruneCommand : PruneVerb
{
    public VolumePruneCommand() : base("volume prune", "Remove unused local volumes", "Remove all unused volumes, not just anonymous ones", "label=<label>")
    {
    }

    protected override string Warning(bool all) => all
        ? "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue?"
        : "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue?";

    public override IEnumerable<KeyValuePair<string, string>>? ExtraFilters(bool all) => all ? [new("all", "true")] : null;

    public override async Task<(long Space, string Output)> PruneAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/volumes/prune", new QueryString(), filters, ApiJsonContext.Default.VolumePruneResponse, cancellationToken);
        return (response.SpaceReclaimed, PruneReport.Deleted("Deleted Volumes:", response.VolumesDeleted));
    }
}
