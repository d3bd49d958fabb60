using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;

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
        var filterValues = parse.GetValue(_filter) ?? [];
        foreach (string value in filterValues)
            Flags.Convert(_filter, value, v => { FilterFlags.Validate(v); return 0; });
        bool all = parse.GetValue(_all);
        var filters = FilterFlags.Parse(filterValues, all ? [new("all", "true")] : null);
        if (!parse.GetValue(_force))
        {
            string warning = all
                ? "WARNING! This will remove all local volumes not used by at least one container."
                : "WARNING! This will remove anonymous local volumes not used by at least one container.";
            await context.Console.Out.WriteAsync(warning + "\nAre you sure you want to continue? [y/N] ");
            await context.Console.Out.FlushAsync(cancellationToken);
            if (!await ConfirmedAsync(context.Console.StdinStream, cancellationToken))
                throw new CliException(1, "");
        }
        var query = new QueryString();
        if (filters.Names.Count > 0)
            query.Set("filters", filters.ToJson());
        var client = await context.ConnectAsync(cancellationToken);
        var response = await client.SendJsonAsync(new Berth.Http.HttpClientRequest("POST", client.Versioned("/volumes/prune" + query)),
            ApiJsonContext.Default.VolumePruneResponse, cancellationToken);
        var text = new System.Text.StringBuilder();
        if (response.VolumesDeleted is { Count: > 0 } deleted)
        {
            text.Append("Deleted Volumes:\n");
            foreach (string name in deleted)
                text.Append(name).Append('\n');
            text.Append('\n');
        }
        text.Append("Total reclaimed space: ").Append(HumanUnits.Size(response.SpaceReclaimed)).Append('\n');
        await context.Console.Out.WriteAsync(text.ToString());
        return 0;
    }

    /// <summary>docker's prompt: "y" or "Y" (surrounding spaces ignored) confirms, anything else or end of input does not.</summary>
    private static async Task<bool> ConfirmedAsync(Stream stdin, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var buffer = new byte[1];
        while (await stdin.ReadAsync(buffer, cancellationToken) == 1 && buffer[0] != (byte)'\n')
            line.Add(buffer[0]);
        return System.Text.Encoding.UTF8.GetString([.. line]).Trim() is "y" or "Y";
    }
}
