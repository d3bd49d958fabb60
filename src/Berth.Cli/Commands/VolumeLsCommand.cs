using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth volume ls</c>: GET /volumes, through docker's formats: the DRIVER / VOLUME NAME table, names (-q), JSON lines or a Go template.</summary>
public sealed class VolumeLsCommand : Verb
{
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Provide filter values (e.g. \"dangling=true\")", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Only display volume names");

    public VolumeLsCommand() : base("volume ls", "volume ls [OPTIONS]", "List volumes", ArgsRule.None)
    {
    }

    public override IReadOnlyList<string> Aliases => ["list"];

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _filter, _format, _quiet })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filters = FilterFlags.Read(parse, _filter);
        string format = Resolve(parse.GetValue(_format) ?? "", parse.GetValue(_quiet));
        TemplateFormat.Parse(format); // a bad template fails before the request
        var query = new QueryString().Filters(filters);
        var client = await context.ConnectAsync(cancellationToken);
        var list = await client.GetJsonAsync("/volumes" + query, ApiJsonContext.Default.VolumeListResponse, cancellationToken);
        var volumes = list.Volumes.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        await context.Console.Out.WriteAsync(TemplateFormat.Render(format, Placeholders, volumes));
        return 0;
    }

    /// <summary>docker's NewVolumeFormat: an empty --format is "table"; -q prints the names.</summary>
    private static string Resolve(string format, bool quiet) => format is "" or "table"
        ? (quiet ? "{{.Name}}" : @"table {{.Driver}}\t{{.Name}}")
        : format;

    private static string Labels(Volume volume) =>
        string.Join(",", (volume.Labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>docker's volumeContext: its placeholders and headers, "N/A" for the cluster ones (and for LINKS and SIZE
    /// unless the daemon measured them, as system df -v asks it to).</summary>
    internal static readonly Placeholders<Volume> Placeholders = new Placeholders<Volume>("*formatter.volumeContext", Json)
        .Add("Name", "VOLUME NAME", v => v.Name)
        .Add("Driver", "DRIVER", v => v.Driver)
        .Add("Scope", "SCOPE", v => v.Scope)
        .Add("Mountpoint", "MOUNTPOINT", v => v.Mountpoint)
        .Add("Labels", "LABELS", Labels)
        .AddMethod("Label", 1, (v, a) => (v.Labels ?? []).GetValueOrDefault(a[0] as string ?? throw new TemplateArgumentException(
            $"wrong type for value; expected string; got {TemplateValues.TypeName(a[0])}"), ""), Placeholders<Volume>.LabelHeader)
        .Add("Links", "LINKS", Links)
        .Add("Size", "SIZE", Size)
        .Add("Group", "GROUP", _ => "N/A")
        .Add("Availability", "AVAILABILITY", _ => "N/A")
        .Add("Status", "STATUS", _ => "N/A");

    private static string Links(Volume volume) => volume.UsageData is { } usage ? usage.RefCount.ToString(System.Globalization.CultureInfo.InvariantCulture) : "N/A";

    private static string Size(Volume volume) => volume.UsageData is { } usage ? HumanUnits.Size(usage.Size) : "N/A";

    /// <summary>docker's `volume ls --format json` line: its placeholders, "N/A" for the cluster ones.</summary>
    private static string Json(Volume volume) => GoJson.Object(
    [
        new("Availability", "N/A"),
        new("Driver", volume.Driver),
        new("Group", "N/A"),
        new("Labels", Labels(volume)),
        new("Links", Links(volume)),
        new("Mountpoint", volume.Mountpoint),
        new("Name", volume.Name),
        new("Scope", volume.Scope),
        new("Size", Size(volume)),
        new("Status", "N/A"),
    ]);
}
