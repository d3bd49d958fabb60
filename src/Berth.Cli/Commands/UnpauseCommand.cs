using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth unpause CONTAINER...</c>: POST /containers/{name}/unpause, all at once; prints each name resumed.</summary>
public sealed class UnpauseCommand : Verb
{
    public UnpauseCommand() : base("unpause", "unpause CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers", ArgsRule.AtLeast(1))
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
            name => client.PostAsync($"/containers/{QueryString.EscapePath(name)}/unpause", cancellationToken));
        return await ParallelOperation.ReportAsync(context.Console, containers, errors);
    }
}
