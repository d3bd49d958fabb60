using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth network rm NETWORK...</c>: DELETE /networks/{id}; prints each name removed, exit 1 if any failed.</summary>
public sealed class NetworkRmCommand : Verb
{
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Do not error if the network does not exist");

    public NetworkRmCommand() : base("network rm", "network rm NETWORK [NETWORK...]", "Remove one or more networks", ArgsRule.AtLeast(1))
    {
    }

    public override IReadOnlyList<string> Aliases => ["remove"];

    protected override void AddOptions(Command command) => command.Options.Add(_force);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        bool force = parse.GetValue(_force);
        var networks = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        // docker skips a missing network under -f without printing its name.
        var reported = new List<string>();
        var errors = new List<Exception?>();
        foreach (string network in networks)
        {
            try
            {
                await client.DeleteAsync($"/networks/{QueryString.EscapePath(network)}", cancellationToken);
            }
            catch (DaemonErrorException e) when (force && e.IsNotFound)
            {
                continue;
            }
            catch (DaemonErrorException e)
            {
                reported.Add(network);
                errors.Add(e);
                continue;
            }
            reported.Add(network);
            errors.Add(null);
        }
        return await ParallelOperation.ReportAsync(context.Console, reported, errors.ToArray());
    }
}
