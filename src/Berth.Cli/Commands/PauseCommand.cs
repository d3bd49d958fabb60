using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth pause CONTAINER...</c>: POST /containers/{name}/pause, all at once; prints each name paused.</summary>
public sealed class PauseCommand : Verb
{
    public PauseCommand() : base("pause", "pause CONTAINER [CONTAINER...]", "Pause all processes within one or more containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var containers = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        var errors = await ParallelOperation.RunAsync(containers,
            name => client.PostAsync($"/containers/{QueryString.EscapePath(name)}/pause", cancellationToken));
        return await ParallelOperation.ReportAsync(context.Console, containers, errors);
    }
}
