using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth volume rm [-f] VOLUME...</c>: DELETE /volumes/{name}; prints each name removed.</summary>
public sealed class VolumeRmCommand : Verb
{
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Force the removal of one or more volumes");

    public VolumeRmCommand() : base("volume rm", "volume rm [OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes", ArgsRule.AtLeast(1))
    {
    }

    public override IReadOnlyList<string> Aliases => ["remove"];

    protected override void AddOptions(Command command) => command.Options.Add(_force);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var query = new QueryString().Flag("force", parse.GetValue(_force));
        var volumes = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        var errors = new Exception?[volumes.Length];
        for (int i = 0; i < volumes.Length; i++)
        {
            try
            {
                await client.DeleteAsync($"/volumes/{QueryString.EscapePath(volumes[i])}{query}", cancellationToken);
            }
            catch (DaemonErrorException e)
            {
                errors[i] = e;
            }
        }
        return await ParallelOperation.ReportAsync(context.Console, volumes, errors);
    }
}
