using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth images [REPOSITORY[:TAG]]</c>: GET /images/json, as docker's table, ids (-q) or JSON lines.</summary>
public sealed class ImagesCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Show all images (default hides intermediate images)");
    private readonly Option<bool> _digests = Flags.Bool("--digests", null, "Show digests");
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Filter output based on conditions provided", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, FormatHelp);
    private readonly Option<bool> _noTrunc = Flags.Bool("--no-trunc", null, "Don't truncate output");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Only show image IDs");

    /// <summary>docker's flagsHelper.FormatHelp, the --format description of the listing verbs.</summary>
    internal const string FormatHelp = "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.";

    public ImagesCommand() : base("images", "images [OPTIONS] [REPOSITORY[:TAG]]", "List images", ArgsRule.AtMost(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _all, _digests, _filter, _format, _noTrunc, _quiet })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var positionals = Positionals(parse);
        var filters = FilterFlags.Read(parse, _filter, positionals.Length > 0 ? [new("reference", positionals[0])] : null);
        bool digests = parse.GetValue(_digests);
        string format = Resolve(parse.GetValue(_format) ?? "", parse.GetValue(_quiet), digests);
        var template = TemplateFormat.Parse(format);
        var query = new QueryString().Flag("all", parse.GetValue(_all)).Filters(filters);

        var client = await context.ConnectAsync(cancellationToken);
        var images = await client.GetJsonAsync("/images/json" + query, ApiJsonContext.Default.ListImageSummary, cancellationToken);

        var now = DateTimeOffset.UtcNow;
        bool showDigests = digests || format.Contains("{{.Digest}}");
        var rows = images.SelectMany(i => ImageRow.For(i, !parse.GetValue(_noTrunc), showDigests, now));
        await context.Console.Out.WriteAsync(TemplateFormat.Render(format, ImageRow.Placeholders, rows));
        return 0;
    }

    /// <summary>docker's NewImageFormat (an empty --format is "table").</summary>
    internal static string Resolve(string format, bool quiet, bool digests)
    {
        const string created = "{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}";
        switch (format)
        {
            case "" or "table":
                return quiet ? "{{.ID}}"
                    : digests ? @"table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t" + created + @"\t{{.Size}}"
                    : @"table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t" + created + @"\t{{.Size}}";
            case "raw":
                return quiet ? "image_id: {{.ID}}"
                    : "repository: {{ .Repository }}\ntag: {{.Tag}}\n" + (digests ? "digest: {{.Digest}}\n" : "")
                      + "image_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n";
        }
        if (TemplateFormat.IsTable(format) && digests && !format.Contains("{{.Digest}}"))
            format += @"\t{{.Digest}}";
        return format;
    }
}
