using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Files;
using Berth.Http;

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
        if (output is null && context.Console.StdoutIsTerminal)
            throw new CliException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        AtomicOutputFile? file = output is null ? null : AtomicOutputFile.Create(output, "failed to export container");
        try
        {
            var client = await context.ConnectAsync(cancellationToken);
            string name = Positionals(parse)[0];
            using var response = await client.SendCheckedAsync(
                new HttpClientRequest("GET", client.Versioned($"/containers/{QueryString.EscapePath(name)}/export")), cancellationToken);
            await response.Body.CopyToAsync(file?.Stream ?? context.Console.StdoutStream, cancellationToken);
            file?.Commit();
        }
        finally
        {
            file?.Dispose();
        }
        return 0;
    }
}
