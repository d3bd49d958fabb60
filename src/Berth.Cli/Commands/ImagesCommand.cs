using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth images [REPOSITORY[:TAG]]</c>: GET /images/json, as docker's table, ids (-q) or JSON lines.</summary>
public sealed class ImagesCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Show all images (default hides intermediate images)");
    private readonly Option<bool> _digests = Flags.Bool("--digests", null, "Show digests");
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Filter output based on conditions provided", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output: 'table' (default) or 'json'");
    private readonly Option<bool> _noTrunc = Flags.Bool("--no-trunc", null, "Don't truncate output");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Only show image IDs");

    public ImagesCommand() : base("images", "images [OPTIONS] [REPOSITORY[:TAG]]", "List images", ArgsRule.AtMost(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _all, _digests, _filter, _format, _noTrunc, _quiet })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filterValues = parse.GetValue(_filter) ?? [];
        foreach (string value in filterValues)
            Flags.Convert(_filter, value, v => { FilterFlags.Validate(v); return 0; });
        var format = ListFormats.Parse(parse.GetValue(_format));
        var positionals = Positionals(parse);
        var extra = positionals.Length > 0 ? new[] { new KeyValuePair<string, string>("reference", positionals[0]) } : null;
        var filters = FilterFlags.Parse(filterValues, extra);
        var query = new QueryString().Flag("all", parse.GetValue(_all));
        if (filters.Names.Count > 0)
            query.Set("filters", filters.ToJson());

        var client = await context.ConnectAsync(cancellationToken);
        var images = await client.GetJsonAsync("/images/json" + query, ApiJsonContext.Default.ListImageSummary, cancellationToken);

        var now = DateTimeOffset.UtcNow;
        bool digests = parse.GetValue(_digests);
        var rows = images.SelectMany(i => ImageRow.For(i, !parse.GetValue(_noTrunc), digests, now)).ToList();
        if (parse.GetValue(_quiet))
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
        table.WriteRow(digests
            ? ["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"]
            : ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]);
        foreach (var row in rows)
            table.WriteRow(digests
                ? [row.Repository, row.Tag, row.Digest, row.Id, row.CreatedSince, row.Size]
                : [row.Repository, row.Tag, row.Id, row.CreatedSince, row.Size]);
        await context.Console.Out.WriteAsync(table.ToString());
        return 0;
    }
}
