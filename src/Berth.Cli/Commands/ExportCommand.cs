using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth export [-o FILE] CONTAINER</c>: GET /containers/{name}/export, the container's filesystem as a tar, to
/// stdout (never to a terminal) or to FILE, written beside it first and renamed into place once complete (mode 0600).
/// </summary>
public sealed class ExportCommand : Verb
{
    private readonly Option<string> _output = Flags.String("--output", "-o", "Write to a file, instead of STDOUT");

    public ExportCommand() : base("export", "export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command) => command.Options.Add(_output);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string? output = parse.GetValue(_output) is { Length: > 0 } path ? path : null;
        await TarOutput.WriteAsync(context, output, "failed to export container",
            $"/containers/{QueryString.EscapePath(Positionals(parse)[0])}/export", cancellationToken);
        return 0;
    }
}
