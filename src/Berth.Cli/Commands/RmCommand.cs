using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth rm [-f] [-v] CONTAINER...</c>: DELETE /containers/{name}, all at once; prints each name as given.
/// With -f a container that does not exist is reported on stderr but is not a failure, as in docker.
/// </summary>
public sealed class RmCommand : Verb
{
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Force the removal of a running container (uses SIGKILL)");
    private readonly Option<bool> _link = Flags.Bool("--link", "-l", "Remove the specified link");
    private readonly Option<bool> _volumes = Flags.Bool("--volumes", "-v", "Remove anonymous volumes associated with the container");

    public RmCommand() : base("rm", "rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_force);
        command.Options.Add(_link);
        command.Options.Add(_volumes);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        bool force = parse.GetValue(_force);
        var query = new QueryString().Flag("force", force).Flag("link", parse.GetValue(_link)).Flag("v", parse.GetValue(_volumes));
        var containers = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        var errors = await ParallelOperation.RunAsync(containers, name =>
        {
            string id = name.Trim('/');
            if (id.Length == 0)
                throw new CliException(1, "container name cannot be empty");
            return client.DeleteAsync($"/containers/{QueryString.EscapePath(id)}{query}", cancellationToken);
        });
        var names = new List<string>();
        var results = new List<Exception?>();
        for (int i = 0; i < errors.Length; i++)
        {
            if (force && errors[i] is DaemonErrorException { IsNotFound: true } notFound)
            {
                await context.Console.Err.WriteLineAsync(notFound.Message);
                continue;
            }
            names.Add(containers[i]);
            results.Add(errors[i]);
        }
        return await ParallelOperation.ReportAsync(context.Console, names, results.ToArray());
    }
}
