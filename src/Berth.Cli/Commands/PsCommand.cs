using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth ps</c>: GET /containers/json, shown as docker's table, ids only (-q) or JSON lines.</summary>
public sealed class PsCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Show all containers (default shows just running)");
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Filter output based on conditions provided", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");
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
        var filters = FilterFlags.Read(parse, _filter);
        string format = parse.GetValue(_format) ?? "";
        bool quiet = parse.GetValue(_quiet);
        if (quiet && format.Length > 0)
            await context.Console.Err.WriteAsync("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
        long last = parse.GetValue(_last) is { } lastText ? Flags.ParseInt(_last, lastText) : -1;
        if (parse.GetValue(_latest) && last == -1)
            last = 1;
        bool size = parse.GetValue(_size);
        if (format.Length > 0 && CheckFormat(format) && !quiet && parse.GetResult(_size) is null or { Implicit: true })
            size = true;
        var query = new QueryString().Flag("all", parse.GetValue(_all)).Flag("size", size);
        if (last > 0)
            query.Set("limit", last.ToString());
        query.Filters(filters);

        var client = await context.ConnectAsync(cancellationToken);
        var containers = await client.GetJsonAsync("/containers/json" + query, ApiJsonContext.Default.ListContainerSummary, cancellationToken);

        var now = DateTimeOffset.UtcNow;
        var rows = containers.Select(c => new ContainerRow(c, !parse.GetValue(_noTrunc), now));
        await context.Console.Out.WriteAsync(TemplateFormat.Render(Resolve(format, quiet, size), ContainerRow.Placeholders, rows));
        return 0;
    }

    /// <summary>
    /// docker's buildContainerListOptions: the format, as given, must parse and run on an empty row ("failed to
    /// execute template: ..."); answers whether it reads .Size, which makes ps ask for sizes.
    /// </summary>
    internal static bool CheckFormat(string format)
    {
        GoTemplate template;
        try
        {
            template = GoTemplate.Parse(format);
        }
        catch (TemplateException e)
        {
            throw new CliException(1, "failed to parse template: " + e.Message);
        }
        var probe = new ContainerRow(new ContainerSummary(), true, DateTimeOffset.UtcNow);
        try
        {
            template.Execute(ContainerRow.Placeholders.Bind(probe));
        }
        catch (TemplateException e)
        {
            throw new CliException(1, "failed to execute template: " + e.Message);
        }
        return probe.SizeUsed;
    }

    /// <summary>docker's NewContainerFormat.</summary>
    internal static string Resolve(string format, bool quiet, bool size) => format switch
    {
        _ when quiet => "{{.ID}}",
        "" or "table" => @"table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}" + (size ? @"\t{{.Size}}" : ""),
        "raw" => "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\n"
            + "status: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n" + (size ? @"size: {{.Size}}\n" : ""),
        _ => format,
    };
}
