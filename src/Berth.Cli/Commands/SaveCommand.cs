using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth save [-o FILE] IMAGE...</c>: GET /images/get?names=..., the images as one docker-archive tar (which
/// <c>berth load</c> reads back with the same ids), to stdout (never a terminal) or to FILE, written atomically.
/// </summary>
public sealed class SaveCommand : Verb
{
    private readonly Option<string> _output = Flags.String("--output", "-o", "Write to a file, instead of STDOUT");

    public SaveCommand() : base("save", "save [OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command) => command.Options.Add(_output);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string? output = parse.GetValue(_output) is { Length: > 0 } path ? path : null;
        var query = new QueryString();
        foreach (string name in Positionals(parse))
            query.Add("names", name);
        await TarOutput.WriteAsync(context, output, "failed to save image", "/images/get" + query, cancellationToken);
        return 0;
    }
}
