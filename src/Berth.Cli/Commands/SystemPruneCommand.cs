using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth system prune [-a] [--volumes] [-f] [--filter]</c>: after one prompt listing what goes, docker's steps in
/// its order (containers, networks, anonymous volumes with --volumes, images, build cache), each one's output,
/// then the total reclaimed space.
/// </summary>
public sealed class SystemPruneCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Remove all unused images not just dangling ones");
    private readonly Option<string[]> _filter = Flags.List("--filter", null, "Provide filter values (e.g. \"label=<key>=<value>\")", "filter");
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Do not prompt for confirmation");
    private readonly Option<bool> _volumes = Flags.Bool("--volumes", null, "Prune anonymous volumes");

    public SystemPruneCommand() : base("system prune", "system prune [OPTIONS]", "Remove unused data", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _all, _filter, _force, _volumes })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filters = FilterFlags.Read(parse, _filter);
        bool all = parse.GetValue(_all);
        bool volumes = parse.GetValue(_volumes);
        if (volumes && filters.Contains("until"))
            throw new CliException(1, "ERROR: The \"until\" filter is not supported with \"--volumes\"");
        if (!parse.GetValue(_force) && !await PruneReport.ConfirmedAsync(context, Warning(filters, all, volumes), cancellationToken))
            return 0;

        var client = await context.ConnectAsync(cancellationToken);
        var images = new ImagePruneCommand();
        var imageFilters = FilterFlags.Parse(parse.GetValue(_filter) ?? [], images.ExtraFilters(all));
        var steps = new List<Func<Task<(long Space, string Output)>>>
        {
            () => new ContainerPruneCommand().PruneAsync(client, filters, cancellationToken),
            () => new NetworkPruneCommand().PruneAsync(client, filters, cancellationToken),
        };
        // Docker prunes anonymous volumes only here, whatever -a says.
        if (volumes)
            steps.Add(() => new VolumePruneCommand().PruneAsync(client, filters, cancellationToken));
        steps.Add(() => images.PruneAsync(client, imageFilters, cancellationToken));
        steps.Add(() => BuildCacheAsync(client, filters, all, cancellationToken));
        long total = 0;
        foreach (var step in steps)
        {
            var (space, output) = await step();
            total += space;
            await PruneReport.WriteAsync(context, output, null);
        }
        await PruneReport.WriteAsync(context, "", total);
        return 0;
    }

    /// <summary>docker's confirmation template: one "  - " line per step, then the label and until filters if any.</summary>
    internal static string Warning(FilterArgs filters, bool all, bool volumes)
    {
        var warnings = new List<string> { "all stopped containers", "all networks not used by at least one container" };
        if (volumes)
            warnings.Add("all anonymous volumes not used by at least one container");
        warnings.Add(all ? "all images without at least one container associated to them" : "all dangling images");
        warnings.Add(all ? "all build cache" : "unused build cache");
        var text = new System.Text.StringBuilder("WARNING! This will remove:");
        foreach (string warning in warnings)
            text.Append("\n  - ").Append(warning);
        text.Append('\n');
        var shown = new[] { "label", "label!", "until" }.SelectMany(name => filters.Get(name).Select(value => name + "=" + value))
            .Order(StringComparer.Ordinal).ToList();
        if (shown.Count > 0)
        {
            text.Append("\n  Items to be pruned will be filtered with:");
            foreach (string filter in shown)
                text.Append("\n  - ").Append(filter);
            text.Append('\n');
        }
        return text.Append("\nAre you sure you want to continue?").ToString();
    }

    /// <summary>
    /// docker's builder.CachePrune: POST /build/prune, whose filters parameter docker sends even empty (Berth keeps no
    /// build cache, so the list is empty).
    /// </summary>
    private static async Task<(long Space, string Output)> BuildCacheAsync(DaemonClient client, FilterArgs filters, bool all, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/build/prune", new QueryString().Flag("all", all).Set("filters", ""), filters, ApiJsonContext.Default.BuildCachePruneResponse, cancellationToken);
        return (response.SpaceReclaimed, PruneReport.Deleted("Deleted build cache objects:", response.CachesDeleted));
    }
}
