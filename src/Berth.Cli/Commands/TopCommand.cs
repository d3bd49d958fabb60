using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth top CONTAINER [ps OPTIONS]</c>: GET /containers/{name}/top (ps_args when options follow) shown as
/// docker's table: the titles, then one row per process (tabwriter 20, 1, 3).
/// </summary>
public sealed class TopCommand : Verb
{
    public TopCommand() : base("top", "top CONTAINER [ps OPTIONS]", "Display the running processes of a container", ArgsRule.AtLeast(1))
    {
    }

    public override bool Interspersed => false;

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var args = Positionals(parse);
        var query = new QueryString();
        if (args.Length > 1)
            query.Set("ps_args", string.Join(' ', args[1..]));
        var client = await context.ConnectAsync(cancellationToken);
        var top = await client.GetJsonAsync($"/containers/{QueryString.EscapePath(args[0])}/top{query}", ApiJsonContext.Default.ContainerTopResponse, cancellationToken);
        var table = new TabWriter(20, 3);
        table.WriteRow(top.Titles);
        foreach (var process in top.Processes)
            table.WriteRow(process);
        await context.Console.Out.WriteAsync(table.ToString());
        return 0;
    }
}
