using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth kill [-s SIG] CONTAINER...</c>: POST /containers/{name}/kill (KILL unless -s), all at once.</summary>
public sealed class KillCommand : Verb
{
    private readonly Option<string> _signal = Flags.String("--signal", "-s", "Signal to send to the container");

    public KillCommand() : base("kill", "kill [OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command) => command.Options.Add(_signal);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (!string.IsNullOrEmpty(parse.GetValue(_signal)))
            query.Set("signal", parse.GetValue(_signal)!);
        var containers = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        var errors = await ParallelOperation.RunAsync(containers,
            name => client.PostAsync($"/containers/{QueryString.EscapePath(name)}/kill{query}", cancellationToken));
        return await ParallelOperation.ReportAsync(context.Console, containers, errors);
    }
}
