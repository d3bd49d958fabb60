using System.CommandLine;
using Berth.Cli.CommandLine;
using Berth.Compose;

namespace Berth.Cli.Compose;

/// <summary>
/// <c>berth compose [-f FILE]... [-p NAME] [--project-directory DIR] [--env-file FILE] [--profile P] COMMAND</c>:
/// docker compose v2 built in. The project flags are parsed here; the subcommand and its flags by <see cref="ComposeSession"/>.
/// </summary>
public sealed class ComposeCommand : Verb
{
    private readonly Option<string[]> _files = Flags.List("--file", "-f", "Compose configuration files", "stringArray");
    private readonly Option<string> _project = Flags.String("--project-name", "-p", "Project name");
    private readonly Option<string> _directory = Flags.String("--project-directory", null, "Specify an alternate working directory (default: the path of the, first specified, Compose file)");
    private readonly Option<string[]> _envFiles = Flags.List("--env-file", null, "Specify an alternate environment file", "stringArray");
    private readonly Option<string[]> _profiles = Flags.List("--profile", null, "Specify a profile to enable", "stringArray");

    public ComposeCommand() : base("compose", "compose [OPTIONS] COMMAND", "Define and run multi-container applications (Compose Specification)", ArgsRule.AtLeast(1))
    {
    }

    public override bool Interspersed => false;

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_files);
        command.Options.Add(_project);
        command.Options.Add(_directory);
        command.Options.Add(_envFiles);
        command.Options.Add(_profiles);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var args = Positionals(parse);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        var options = new ComposeLoadOptions
        {
            Files = parse.GetValue(_files) ?? [],
            ProjectName = parse.GetValue(_project),
            ProjectDirectory = parse.GetValue(_directory),
            EnvFiles = parse.GetValue(_envFiles) ?? [],
            Profiles = parse.GetValue(_profiles) ?? [],
            CurrentDirectory = Directory.GetCurrentDirectory(),
            Environment = environment,
        };
        try
        {
            return await new ComposeSession(context, options).RunAsync(args[0], args[1..], cancellationToken);
        }
        catch (ComposeFileException e)
        {
            throw new CliException(1, e.Message);
        }
    }
}
