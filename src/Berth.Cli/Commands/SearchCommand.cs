using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Registry;
using Berth.Cli.Templates;
using Berth.Common;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth search TERM</c>: GET /images/search with the stored credentials of the term's registry, printed as docker's
/// NAME / DESCRIPTION / STARS / OFFICIAL table (descriptions cut to 45 characters unless --no-trunc), JSON lines or a
/// template. Docker Hub for <c>busybox</c>, a private registry's catalog for <c>localhost:5000/app</c>.
/// </summary>
public sealed class SearchCommand : Verb
{
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Filter output based on conditions provided", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Pretty-print search using a Go template");
    private readonly Option<string> _limit = Flags.String("--limit", null, "Max number of search results", "int");
    private readonly Option<bool> _noTrunc = Flags.Bool("--no-trunc", null, "Don't truncate output");

    public SearchCommand() : base("search", "search [OPTIONS] TERM", "Search Docker Hub for images", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _filter, _format, _limit, _noTrunc })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string term = Positionals(parse)[0];
        long limit = parse.GetValue(_limit) is { } limitText ? Flags.ParseInt(_limit, limitText) : 0;
        string format = parse.GetValue(_format) is { Length: > 0 } given and not "table" ? given : @"table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";
        TemplateFormat.Parse(format); // a bad template fails before the request
        var query = new QueryString().Set("term", term).Filters(FilterFlags.Read(parse, _filter));
        if (limit > 0)
            query.Set("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = await context.ConnectAsync(cancellationToken);
        var request = new HttpClientRequest("GET", client.Versioned("/images/search" + query));
        request.Headers.Set("X-Registry-Auth", CredentialStore.FromEnvironment(context.Environment).HeaderFor(SearchTerm.Split(term).Domain));
        var results = await client.SendJsonAsync(request, ApiJsonContext.Default.ListImageSearchResponseItem, cancellationToken);
        await context.Console.Out.WriteAsync(TemplateFormat.Render(format, parse.GetValue(_noTrunc) ? Full : Truncated, results));
        return 0;
    }

    private static readonly Placeholders<ImageSearchResponseItem> Truncated = Context(trunc: true);
    private static readonly Placeholders<ImageSearchResponseItem> Full = Context(trunc: false);

    /// <summary>docker's searchContext: a description on one line, cut to 45 characters; "[OK]" for official and automated.</summary>
    private static Placeholders<ImageSearchResponseItem> Context(bool trunc)
    {
        string Description(ImageSearchResponseItem s)
        {
            string text = s.Description.Replace('\n', ' ').Replace('\r', ' ');
            return trunc ? TextEllipsis.Truncate(text, 45) : text;
        }
        static string Ok(bool value) => value ? "[OK]" : "";
        return new Placeholders<ImageSearchResponseItem>("*formatter.searchContext", s => GoJson.Object(
            [
                new("Description", Description(s)),
                new("IsAutomated", Ok(s.IsAutomated)),
                new("IsOfficial", Ok(s.IsOfficial)),
                new("Name", s.Name),
                new("StarCount", s.StarCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]))
            .Add("Name", "NAME", s => s.Name)
            .Add("Description", "DESCRIPTION", Description)
            .Add("StarCount", "STARS", s => s.StarCount.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("IsOfficial", "OFFICIAL", s => Ok(s.IsOfficial))
            .Add("IsAutomated", "AUTOMATED", s => Ok(s.IsAutomated));
    }
}
