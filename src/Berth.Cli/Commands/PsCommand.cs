using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth ps</c>: GET /containers/json, shown as docker's table, ids only (-q) or JSON lines.</summary>
public sealed class PsCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Show all containers (default shows just running)");
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Filter output based on conditions provided", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output: 'table' (default) or 'json'");
    private readonly Option<string> _last = Flags.String("--last", "-n", "Show n last created containers (includes all states)", "int");
    private readonly Option<bool> _latest = Flags.Bool("--latest", "-l", "Show the latest created container (includes all states)");
    private readonly Option<bool> _noTrunc = Flags.Bool("--no-trunc", null, "Don't truncate output");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Only display container IDs");
    private readonly Option<bool> _size = Flags.Bool("--size", "-s", "Display total file sizes");

    public PsCommand() : base("ps", "ps [OPTIONS]", "List containers", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _all, _filter, _format, _last, _latest, _noTrunc, _quiet, _size })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filterValues = parse.GetValue(_filter) ?? [];
        foreach (string value in filterValues)
            Flags.Convert(_filter, value, v => { FilterFlags.Validate(v); return 0; });
        var format = ListFormats.Parse(parse.GetValue(_format));
        bool quiet = parse.GetValue(_quiet);
        if (quiet && !string.IsNullOrEmpty(parse.GetValue(_format)))
            await context.Console.Err.WriteAsync("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
        long last = parse.GetValue(_last) is { } lastText ? Flags.ParseInt(_last, lastText) : -1;
        if (parse.GetValue(_latest) && last == -1)
            last = 1;
        bool size = parse.GetValue(_size);
        var query = new QueryString().Flag("all", parse.GetValue(_all)).Flag("size", size);
        if (last > 0)
            query.Set("limit", last.ToString());
        var filters = FilterFlags.Parse(filterValues);
        if (filters.Names.Count > 0)
            query.Set("filters", filters.ToJson());

        var client = await context.ConnectAsync(cancellationToken);
        var containers = await client.GetJsonAsync("/containers/json" + query, ApiJsonContext.Default.ListContainerSummary, cancellationToken);

        var now = DateTimeOffset.UtcNow;
        var rows = containers.Select(c => new ContainerRow(c, !parse.GetValue(_noTrunc), now)).ToList();
        if (quiet)
        {
            await context.Console.Out.WriteAsync(string.Concat(rows.Select(r => r.Id + "\n")));
            return 0;
        }
        if (format == ListFormat.Json)
        {
            await context.Console.Out.WriteAsync(string.Concat(rows.Select(r => r.ToJson() + "\n")));
            return 0;
        }
        var table = new TabWriter(10, 3);
        var header = new List<string> { "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES" };
        if (size)
            header.Add("SIZE");
        table.WriteRow(header);
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Id, row.Image, row.Command, row.RunningFor, row.Status, row.Ports, row.Names };
            if (size)
                cells.Add(row.Size);
            table.WriteRow(cells);
        }
        await context.Console.Out.WriteAsync(table.ToString());
        return 0;
    }
}
