using System.CommandLine;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary><c>berth volume create [OPTIONS] [VOLUME]</c>: POST /volumes/create; prints the volume's name.</summary>
public sealed class VolumeCreateCommand : Verb
{
    private readonly Option<string> _driver = Flags.String("--driver", "-d", "Specify volume driver name");
    private readonly Option<string[]> _label = Flags.List("--label", null, "Set metadata for a volume");
    private readonly Option<string> _name = Flags.String("--name", null, "Specify volume name");
    private readonly Option<string[]> _opt = Flags.List("--opt", "-o", "Set driver specific options", "map");

    public VolumeCreateCommand() : base("volume create", "volume create [OPTIONS] [VOLUME]", "Create a volume", ArgsRule.AtMost(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _driver, _label, _name, _opt })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var positionals = Positionals(parse);
        string name = parse.GetValue(_name) ?? "";
        if (positionals.Length > 0)
        {
            if (name.Length > 0)
                throw new CliException(1, "conflicting options: either specify --name or provide positional arg, not both");
            name = positionals[0];
        }
        var request = new VolumeCreateRequest
        {
            Name = name,
            Driver = parse.GetValue(_driver) is { Length: > 0 } driver ? driver : "local",
            DriverOpts = Pairs(parse.GetValue(_opt)),
            Labels = Pairs(parse.GetValue(_label)),
        };
        var client = await context.ConnectAsync(cancellationToken);
        var volume = await client.SendJsonAsync(
            HttpClientRequest.Json("POST", client.Versioned("/volumes/create"), request, ApiJsonContext.Default.VolumeCreateRequest),
            ApiJsonContext.Default.Volume, cancellationToken);
        await context.Console.Out.WriteLineAsync(volume.Name);
        return 0;
    }

    /// <summary>docker's map and label flags: KEY=VALUE, a bare KEY meaning an empty value.</summary>
    internal static Dictionary<string, string> Pairs(string[]? values)
    {
        var pairs = new Dictionary<string, string>();
        foreach (string value in values ?? [])
        {
            int eq = value.IndexOf('=');
            pairs[eq < 0 ? value : value[..eq]] = eq < 0 ? "" : value[(eq + 1)..];
        }
        return pairs;
    }
}
