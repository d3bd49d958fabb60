using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary>
/// One of docker's prune commands (<c>image|container|network|volume prune</c>): --filter, -f and, where docker has
/// it, -a; the filters checked, the prompt unless -f, then the verb's step (docker's RunPrune, which system prune
/// runs too) and what it printed.
/// </summary>
public abstract class PruneVerb : Verb
{
    private readonly Option<bool>? _all;
    private readonly Option<string[]> _filter;
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Do not prompt for confirmation");

    /// <param name="allDescription">-a's help, or null when the verb has no -a.</param>
    protected PruneVerb(string name, string description, string? allDescription, string filterExample = "until=<timestamp>")
        : base(name, name + " [OPTIONS]", description, ArgsRule.None)
    {
        _all = allDescription is null ? null : Flags.Bool("--all", "-a", allDescription);
        _filter = Flags.List("--filter", null, $"Provide filter values (e.g. \"{filterExample}\")", "filter");
    }

    /// <summary>Whether the output ends with "Total reclaimed space:" (network prune frees none and prints none).</summary>
    protected virtual bool ReportsSpace => true;

    /// <summary>docker's warning and question for the prompt.</summary>
    protected abstract string Warning(bool all);

    /// <summary>Filters the verb adds to the user's (image prune's dangling, volume prune's all).</summary>
    public virtual IEnumerable<KeyValuePair<string, string>>? ExtraFilters(bool all) => null;

    /// <summary>The request and what it prints: the "Deleted ...:" list, or "" when nothing went.</summary>
    public abstract Task<(long Space, string Output)> PruneAsync(DaemonClient client, FilterArgs filters, CancellationToken cancellationToken);

    protected override void AddOptions(Command command)
    {
        if (_all is not null)
            command.Options.Add(_all);
        command.Options.Add(_filter);
        command.Options.Add(_force);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        bool all = _all is not null && parse.GetValue(_all);
        var filters = FilterFlags.Read(parse, _filter, ExtraFilters(all));
        if (!parse.GetValue(_force) && !await PruneReport.ConfirmedAsync(context, Warning(all), cancellationToken))
            return 0;
        var (space, output) = await PruneAsync(await context.ConnectAsync(cancellationToken), filters, cancellationToken);
        await PruneReport.WriteAsync(context, output, ReportsSpace ? space : null);
        return 0;
    }
}
