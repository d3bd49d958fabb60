using System.CommandLine;

namespace Berth.Cli.CommandLine;

/// <summary>
/// One berth command (<c>run</c>, <c>ps</c>, ...): its System.CommandLine <see cref="Command"/> with docker's
/// flag spellings, its usage line and argument count, and what it does.
/// </summary>
public abstract class Verb
{
    private Command? _command;

    protected Verb(string name, string usage, string description, ArgsRule args)
    {
        Name = name;
        Usage = usage;
        Description = description;
        Args = args;
        Arguments = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore };
    }

    /// <summary>"run", or "volume create" for a command of a group.</summary>
    public string Name { get; }

    /// <summary>Other names of the command's last word ("ls" has "list"), as docker's aliases.</summary>
    public virtual IReadOnlyList<string> Aliases => [];

    /// <summary>The usage after "berth ": "run [OPTIONS] IMAGE [COMMAND] [ARG...]".</summary>
    public string Usage { get; }

    public string Description { get; }

    public ArgsRule Args { get; }

    /// <summary>
    /// False for verbs whose first positional argument ends berth's own flags (<c>run IMAGE ls -d /</c>):
    /// like pflag's SetInterspersed(false), everything after it is the container's command.
    /// </summary>
    public virtual bool Interspersed => true;

    /// <summary>Whether "-h" asks for help; run and create use it for --hostname.</summary>
    public virtual bool ShortHelp => true;

    /// <summary>The positional arguments.</summary>
    public Argument<string[]> Arguments { get; }

    public Option<bool> Help { get; private set; } = null!;

    public Command Command => _command ??= Build();

    public string UseLine => "berth " + Usage;

    public abstract Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken);

    /// <summary>Adds the verb's options to <paramref name="command"/>.</summary>
    protected abstract void AddOptions(Command command);

    protected string[] Positionals(ParseResult parse) => parse.GetValue(Arguments) ?? [];

    private Command Build()
    {
        // "volume create": the group's subcommand is named by the last word.
        var command = new Command(Name[(Name.LastIndexOf(' ') + 1)..], Description);
        foreach (string alias in Aliases)
            command.Aliases.Add(alias);
        AddOptions(command);
        Help = ShortHelp ? Flags.Bool("--help", "-h", "Print usage") : Flags.Bool("--help", null, "Print usage");
        command.Options.Add(Help);
        if (!Interspersed)
            Arguments.CaptureRemainingTokens = true;
        command.Arguments.Add(Arguments);
        return command;
    }
}
