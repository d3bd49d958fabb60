using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth restart [-t N] [-s SIG] CONTAINER...</c>: POST /containers/{name}/restart for one container after the
/// other, as docker does; prints each name restarted.
/// </summary>
public sealed class RestartCommand : Verb
{
    private readonly Option<string> _signal = Flags.String("--signal", "-s", "Signal to send to the container");
    private readonly Option<string> _timeout = Flags.String("--timeout", "-t", "Seconds to wait before killing the container", "int");
    private readonly Option<string> _time = Flags.String("--time", null, "Seconds to wait before killing the container (deprecated: use --timeout)", "int");

    public RestartCommand() : base("restart", "restart [OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers", ArgsRule.AtLeast(1))
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
        var client = await context.ConnectAsync(cancellationToken);
        var errors = new List<string>();
        foreach (string name in Positionals(parse))
        {
            try
            {
                await client.PostAsync($"/containers/{QueryString.EscapePath(name)}/restart{query}", cancellationToken);
                await context.Console.Out.WriteLineAsync(name);
            }
            catch (Exception e) when (e is DaemonErrorException or IOException)
            {
                errors.Add(e.Message);
            }
        }
        if (errors.Count == 0)
            return 0;
        await context.Console.Err.WriteLineAsync(string.Join("\n", errors));
        return 1;
    }
}
