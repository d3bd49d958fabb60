using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth volume ls</c>: GET /volumes, as docker's DRIVER / VOLUME NAME table, names (-q) or JSON lines.</summary>
public sealed class VolumeLsCommand : Verb
{
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Provide filter values (e.g. \"dangling=true\")", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output: 'table' (default) or 'json'");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Only display volume names");

    public VolumeLsCommand() : base("volume ls", "volume ls [OPTIONS]", "List volumes", ArgsRule.None)
    {
    }

    public override IReadOnlyList<string> Aliases => ["list"];

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _filter, _format, _quiet })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filterValues = parse.GetValue(_filter) ?? [];
        foreach (string value in filterValues)
            Flags.Convert(_filter, value, v => { FilterFlags.Validate(v); return 0; });
        var format = ListFormats.Parse(parse.GetValue(_format));
        var filters = FilterFlags.Parse(filterValues);
        var query = new QueryString();
        if (filters.Names.Count > 0)
            query.Set("filters", filters.ToJson());
        var client = await context.ConnectAsync(cancellationToken);
        var list = await client.GetJsonAsync("/volumes" + query, ApiJsonContext.Default.VolumeListResponse, cancellationToken);
        var volumes = list.Volumes.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        if (parse.GetValue(_quiet))
        {
            await context.Console.Out.WriteAsync(string.Concat(volumes.Select(v => v.Name + "\n")));
            return 0;
        }
        if (format == ListFormat.Json)
        {
            await context.Console.Out.WriteAsync(string.Concat(volumes.Select(v => Json(v) + "\n")));
            return 0;
        }
        var table = new TabWriter(10, 3);
        table.WriteRow(["DRIVER", "VOLUME NAME"]);
        foreach (var volume in volumes)
            table.WriteRow([volume.Driver, volume.Name]);
        await context.Console.Out.WriteAsync(table.ToString());
        return 0;
    }

    /// <summary>docker's `volume ls --format json` line: its placeholders, "N/A" for the cluster ones.</summary>
    private static string Json(Volume volume) => GoJson.Object(
    [
        new("Availability", "N/A"),
        new("Driver", volume.Driver),
        new("Group", "N/A"),
        new("Labels", string.Join(",", (volume.Labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))),
        new("Links", "N/A"),
        new("Mountpoint", volume.Mountpoint),
        new("Name", volume.Name),
        new("Scope", volume.Scope),
        new("Size", "N/A"),
        new("Status", "N/A"),
    ]);
}
