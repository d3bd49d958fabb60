using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth stop [-t N] [-s SIG] CONTAINER...</c>: POST /containers/{name}/stop, all at once; prints each name stopped.</summary>
public sealed class StopCommand : Verb
{
    private readonly Option<string> _signal = Flags.String("--signal", "-s", "Signal to send to the container");
    private readonly Option<string> _timeout = Flags.String("--timeout", "-t", "Seconds to wait before killing the container", "int");
    private readonly Option<string> _time = Flags.String("--time", null, "Seconds to wait before killing the container (deprecated: use --timeout)", "int");

    public StopCommand() : base("stop", "stop [OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_signal);
        command.Options.Add(_timeout);
        command.Options.Add(_time);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string? timeoutText = parse.GetValue(_timeout);
        string? timeText = parse.GetValue(_time);
        if (timeoutText is not null && timeText is not null)
            throw new CliException(1, "conflicting options: cannot specify both --timeout and --time");
        var query = new QueryString();
        if (timeoutText is not null)
            query.Set("t", Flags.ParseInt(_timeout, timeoutText).ToString());
        else if (timeText is not null)
            query.Set("t", Flags.ParseInt(_time, timeText).ToString());
        if (!string.IsNullOrEmpty(parse.GetValue(_signal)))
            query.Set("signal", parse.GetValue(_signal)!);
        var containers = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        var errors = await ParallelOperation.RunAsync(containers,
            name => client.PostAsync($"/containers/{QueryString.EscapePath(name)}/stop{query}", cancellationToken));
        return await ParallelOperation.ReportAsync(context.Console, containers, errors);
    }
}
