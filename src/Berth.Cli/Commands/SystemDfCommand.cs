using System.CommandLine;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth system df [-v] [--format]</c>: GET /system/df as docker's summary (TYPE TOTAL ACTIVE SIZE RECLAIMABLE) or,
/// with -v, its sections per image, container, volume and the build cache (which Berth does not have).
/// </summary>
public sealed class SystemDfCommand : Verb
{
    private readonly Option<string> _format = Flags.String("--format", null, ImagesCommand.FormatHelp);
    private readonly Option<bool> _verbose = Flags.Bool("--verbose", "-v", "Show detailed information on space usage");

    public SystemDfCommand() : base("system df", "system df [OPTIONS]", "Show docker disk usage", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_format);
        command.Options.Add(_verbose);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var client = await context.ConnectAsync(cancellationToken);
        var usage = await client.GetJsonAsync("/system/df", ApiJsonContext.Default.SystemDataUsageResponse, cancellationToken);
        string format = parse.GetValue(_format) is { Length: > 0 } given ? given : "table";
        string text;
        if (!parse.GetValue(_verbose))
            text = TemplateFormat.Render(format == "table" ? @"table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}" : format,
                DiskUsageRow.Placeholders, DiskUsageRow.For(usage));
        else if (format == "table")
            text = VerboseTable(usage, DateTimeOffset.UtcNow);
        else
            text = Verbose(usage, format, DateTimeOffset.UtcNow);
        await context.Console.Out.WriteAsync(text);
        return 0;
    }

    /// <summary>docker's verboseWriteTable: one table per kind, each with its heading.</summary>
    private static string VerboseTable(SystemDataUsageResponse usage, DateTimeOffset now)
    {
        var text = new System.Text.StringBuilder("Images space usage:\n\n");
        text.Append(TemplateFormat.Render(@"table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}",
            ImageRow.Placeholders, Images(usage, true, now)));
        text.Append("\nContainers space usage:\n\n");
        text.Append(TemplateFormat.Render(@"table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
            ContainerRow.Placeholders, Containers(usage, true, now)));
        text.Append("\nLocal Volumes space usage:\n\n");
        text.Append(TemplateFormat.Render(@"table {{.Name}}\t{{.Links}}\t{{.Size}}", VolumeLsCommand.Placeholders, usage.Volumes ?? []));
        var cache = DiskUsageRow.For(usage).Last();
        text.Append("\nBuild cache usage: ").Append(HumanUnits.Size(cache.Size)).Append("\n\n");
        // Berth keeps no build cache: docker's table of it is its header alone.
        var table = new TabWriter(10, 3);
        table.Write("CACHE ID\tCACHE TYPE\tSIZE\tCREATED\tLAST USED\tUSAGE\tSHARED\n");
        return text.Append(table).ToString();
    }

    /// <summary>-v with a template: it runs once on docker's diskUsageContext (.Images, .Containers, .Volumes, .BuildCache).</summary>
    private static string Verbose(SystemDataUsageResponse usage, string format, DateTimeOffset now)
    {
        var members = new Dictionary<string, TemplateMember>(StringComparer.Ordinal)
        {
            ["Images"] = new(0, _ => Images(usage, false, now).Select(r => (object?)ImageRow.Placeholders.Bind(r)).ToList()),
            ["Containers"] = new(0, _ => Containers(usage, false, now).Select(r => (object?)ContainerRow.Placeholders.Bind(r)).ToList()),
            ["Volumes"] = new(0, _ => (usage.Volumes ?? []).Select(v => (object?)VolumeLsCommand.Placeholders.Bind(v)).ToList()),
            ["BuildCache"] = new(0, _ => new List<object?>()),
        };
        var data = new TemplateObject("*formatter.diskUsageContext", members, () => "{}");
        return TemplateFormat.Execute(TemplateFormat.Parse(format), data);
    }

    private static IEnumerable<ImageRow> Images(SystemDataUsageResponse usage, bool truncate, DateTimeOffset now) =>
        (usage.Images ?? []).Select(i => ImageRow.FirstTag(i, truncate, now));

    /// <summary>The containers without their virtual size, as docker shows them here.</summary>
    private static IEnumerable<ContainerRow> Containers(SystemDataUsageResponse usage, bool truncate, DateTimeOffset now) =>
        (usage.Containers ?? []).Select(c =>
        {
            c.SizeRootFs = 0;
            return new ContainerRow(c, truncate, now);
        });
}
