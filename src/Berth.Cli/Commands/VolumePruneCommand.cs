using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth volume prune [-a] [-f] [--filter]</c>: POST /volumes/prune, after docker's confirmation prompt (skipped
/// with -f). Docker 23+ removes anonymous volumes only; -a sends the filter all=true for named ones too.
/// </summary>
public sealed class VolumePruneCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Remove all unused volumes, not just anonymous ones");
    private readonly Option<string[]> _filter = Flags.List("--filter", null, "Provide filter values (e.g. \"label=<label>\")", "filter");
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Do not prompt for confirmation");

    public VolumePruneCommand() : base("volume prune", "volume prune [OPTIONS]", "Remove unused local volumes", ArgsRule.None)
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
        var filters = FilterFlags.Read(parse, _filter, all ? [new("all", "true")] : null);
        if (!parse.GetValue(_force) && !await PruneReport.ConfirmedAsync(context, all
                ? "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue?"
                : "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue?", cancellationToken))
            return 0;
        var (space, output) = await RunAsync(await context.ConnectAsync(cancellationToken), filters, cancellationToken);
        await PruneReport.WriteAsync(context, output, space);
        return 0;
    }

    /// <summary>docker's volume.RunPrune, also a step of system prune.</summary>
    internal static async Task<(long Space, string Output)> RunAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken)
    {
        var response = await PruneReport.PostAsync(client, "/volumes/prune", new QueryString(), filters, ApiJsonContext.Default.VolumePruneResponse, cancellationToken);
        return (response.SpaceReclaimed, PruneReport.Deleted("Deleted Volumes:", response.VolumesDeleted));
    }
}
