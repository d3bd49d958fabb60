using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth rename CONTAINER NEW_NAME</c>: POST /containers/{name}/rename?name=NEW. A daemon error is printed, then
/// "Error: failed to rename container named X" (exit 1), as docker words it.
/// </summary>
public sealed class RenameCommand : Verb
{
    public RenameCommand() : base("rename", "rename CONTAINER NEW_NAME", "Rename a container", ArgsRule.Exactly(2))
    {
    }

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var names = Positionals(parse);
        string oldName = names[0].Trim();
        string newName = names[1].Trim();
        if (oldName.Length == 0 || newName.Length == 0)
            throw new CliException(1, "Error: Neither old nor new names may be empty");
        var client = await context.ConnectAsync(cancellationToken);
        try
        {
            await client.PostAsync($"/containers/{QueryString.EscapePath(oldName)}/rename{new QueryString().Set("name", newName)}", cancellationToken);
        }
        catch (Exception e) when (e is DaemonErrorException or IOException)
        {
            await context.Console.Err.WriteLineAsync(e.Message);
            throw new CliException(1, $"Error: failed to rename container named {oldName}");
        }
        return 0;
    }
}
