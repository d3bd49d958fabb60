using Berth.Api;
using Berth.Cli.Api;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth image prune [-a] [-f] [--filter]</c>: POST /images/prune with the filter dangling=true (or false with -a,
/// every image no container uses) after docker's prompt; each untagged reference and deleted id, then the space reclaimed.
/// </summary>
public sealed class ImagePruneCommand : PruneVerb
{
    public ImagePruneCommand() : base("image prune", "Remove unused images", "Remove all unused images, not just dangling ones")
    {
    }

    protected override string Warning(bool all) => all
        ? "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
        : "WARNING! This will remove all dangling images.\nAre you sure you want to continue?";

    public override IEnumerable<KeyValuePair<string, string>> ExtraFilters(bool all) => [new("dangling", all ? "false" : "true")];

    public override async Task<(long Space, string Output)> PruneAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/images/prune", new QueryString(), filters, ApiJsonContext.Default.ImagePruneResponse, cancellationToken);
        var lines = (response.ImagesDeleted ?? []).Select(i => i.Untagged is { Length: > 0 } untagged ? "untagged: " + untagged : "deleted: " + i.Deleted);
        return (response.SpaceReclaimed, PruneReport.Deleted("Deleted Images:", lines));
    }
}
