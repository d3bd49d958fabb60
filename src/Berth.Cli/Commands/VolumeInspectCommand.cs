using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth volume inspect [-f FORMAT] VOLUME...</c>: GET /volumes/{name}, as a JSON array or through a template.</summary>
public sealed class VolumeInspectCommand : Verb
{
    private readonly Option<string> _format = Flags.String("--format", "-f", "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");

    public VolumeInspectCommand() : base("volume inspect", "volume inspect [OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command) => command.Options.Add(_format);

    public override Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken) =>
        ObjectInspector.InspectAsync(parse.GetValue(_format) ?? "", Positionals(parse), name => $"/volumes/{QueryString.EscapePath(name)}", context, cancellationToken);
}
