using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth image prune [-a] [-f] [--filter]</c>: POST /images/prune with the filter dangling=true (or false with -a,
/// every image no container uses) after docker's prompt; each untagged reference and deleted id, then the space reclaimed.
/// </summary>
public sealed class ImagePruneCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Remove all unused images, not just dangling ones");
    private readonly Option<string[]> _filter = Flags.List("--filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter");
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Do not prompt for confirmation");

    public ImagePruneCommand() : base("image prune", "image prune [OPTIONS]", "Remove unused images", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _all, _filter, _force })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        bool all = parse.GetValue(_all);
        FilterFlags.Read(parse, _filter); // a bad filter fails before the prompt
        if (!parse.GetValue(_force) && !await PruneReport.ConfirmedAsync(context, all
                ? "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
                : "WARNING! This will remove all dangling images.\nAre you sure you want to continue?", cancellationToken))
            return 0;
        var (space, output) = await RunAsync(await context.ConnectAsync(cancellationToken), parse.GetValue(_filter) ?? [], all, cancellationToken);
        await PruneReport.WriteAsync(context, output, space);
        return 0;
    }

    /// <summary>docker's image.RunPrune (also a step of system prune): the user's filters plus dangling=true|false.</summary>
    internal static async Task<(long Space, string Output)> RunAsync(DaemonClient client, IEnumerable<string> filterValues, bool all, CancellationToken cancellationToken)
    {
        var filters = FilterFlags.Parse(filterValues, [new("dangling", all ? "false" : "true")]);
        var response = await PruneReport.PostAsync(client, "/images/prune", new QueryString(), filters, ApiJsonContext.Default.ImagePruneResponse, cancellationToken);
        var lines = (response.ImagesDeleted ?? []).Select(i => i.Untagged is { Length: > 0 } untagged ? "untagged: " + untagged : "deleted: " + i.Deleted);
        return (response.SpaceReclaimed, PruneReport.Deleted("Deleted Images:", lines));
    }
}
