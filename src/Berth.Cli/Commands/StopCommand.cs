using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth stop [-t N] [-s SIG] CONTAINER...</c>: POST /containers/{name}/stop, all at once; prints each name stopped.</summary>
public sealed class StopCommand : Verb
{
    private readonly StopFlags _flags = new();

    public StopCommand() : base("stop", "stop [OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        _flags.AddTo(command);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var query = _flags.Query(parse);
        var containers = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        var errors = await ParallelOperation.RunAsync(containers,
            name => client.PostAsync($"/containers/{QueryString.EscapePath(name)}/stop{query}", cancellationToken));
        return await ParallelOperation.ReportAsync(context.Console, containers, errors);
    }
}
