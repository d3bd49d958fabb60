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
    private readonly StopFlags _flags = new();

    public RestartCommand() : base("restart", "restart [OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        _flags.AddTo(command);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var query = _flags.Query(parse);
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
