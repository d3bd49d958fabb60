using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth wait CONTAINER...</c>: POST /containers/{name}/wait (condition not-running), one after the other; prints each exit code.</summary>
public sealed class WaitCommand : Verb
{
    public WaitCommand() : base("wait", "wait CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var client = await context.ConnectAsync(cancellationToken);
        var errors = new List<string>();
        foreach (string name in Positionals(parse))
        {
            try
            {
                var request = new Berth.Http.HttpClientRequest("POST", client.Versioned($"/containers/{QueryString.EscapePath(name)}/wait"));
                var result = await client.SendJsonAsync(request, ApiJsonContext.Default.ContainerWaitResponse, cancellationToken);
                await context.Console.Out.WriteLineAsync(result.StatusCode.ToString());
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
