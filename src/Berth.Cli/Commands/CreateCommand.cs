using System.CommandLine;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth create [OPTIONS] IMAGE [COMMAND] [ARG...]</c>: creates the container and prints its id.</summary>
public sealed class CreateCommand : Verb, IContainerVerb
{
    private readonly ContainerFlags _flags = new("create");

    public CreateCommand() : base("create", "create [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", ArgsRule.AtLeast(1))
    {
    }

    ContainerFlags IContainerVerb.ContainerFlags => _flags;

    public override bool Interspersed => false;

    public override bool ShortHelp => false;

    protected override void AddOptions(Command command) => _flags.AddTo(command);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var request = _flags.Build(parse, Positionals(parse), context.Environment, context.Console.TerminalSize());
        var client = await context.ConnectAsync(cancellationToken);
        string id = await ContainerCreator.CreateAsync(client, request, _flags.Name(parse), context.Console, cancellationToken);
        await context.Console.Out.WriteLineAsync(id);
        return 0;
    }
}
