using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth history IMAGE</c>: GET /images/{name}/history, newest step first, as docker's table, ids (-q), JSON lines or a template.</summary>
public sealed class HistoryCommand : Verb
{
    private readonly Option<string> _format = Flags.String("--format", null, ImagesCommand.FormatHelp);
    private readonly Option<bool> _human = new("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
    private readonly Option<bool> _noTrunc = Flags.Bool("--no-trunc", null, "Don't truncate output");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Only show image IDs");

    public HistoryCommand() : base("history", "history [OPTIONS] IMAGE", "Show the history of an image", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _format, _human, _noTrunc, _quiet })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var client = await context.ConnectAsync(cancellationToken);
        var history = await client.GetJsonAsync($"/images/{QueryString.EscapePath(Positionals(parse)[0])}/history",
            ApiJsonContext.Default.ListImageHistoryResponseItem, cancellationToken);
        bool human = parse.GetValue(_human);
        string format = HistoryRow.Resolve(parse.GetValue(_format) ?? "", parse.GetValue(_quiet), human);
        var now = DateTimeOffset.UtcNow;
        var rows = history.Select(h => new HistoryRow(h, !parse.GetValue(_noTrunc), human, now));
        await context.Console.Out.WriteAsync(TemplateFormat.Render(format, HistoryRow.Placeholders, rows));
        return 0;
    }
}
