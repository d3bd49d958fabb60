using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth network ls</c>: GET /networks, through docker's formats: the NETWORK ID / NAME / DRIVER / SCOPE table, IDs (-q), JSON lines or a Go template.</summary>
public sealed class NetworkLsCommand : Verb
{
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Provide filter values (e.g. \"driver=bridge\")", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");
    private readonly Option<bool> _noTrunc = Flags.Bool("--no-trunc", null, "Do not truncate the output");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Only display network IDs");

    public NetworkLsCommand() : base("network ls", "network ls [OPTIONS]", "List networks", ArgsRule.None)
    {
    }

    public override IReadOnlyList<string> Aliases => ["list"];

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _filter, _format, _noTrunc, _quiet })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filters = FilterFlags.Read(parse, _filter);
        string format = Resolve(parse.GetValue(_format) ?? "", parse.GetValue(_quiet));
        TemplateFormat.Parse(format); // a bad template fails before the request
        var query = new QueryString().Filters(filters);
        var client = await context.ConnectAsync(cancellationToken);
        var networks = await client.GetJsonAsync("/networks" + query, ApiJsonContext.Default.ListNetworkResource, cancellationToken);
        var sorted = networks.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var placeholders = parse.GetValue(_noTrunc) ? Full : Truncated;
        await context.Console.Out.WriteAsync(TemplateFormat.Render(format, placeholders, sorted));
        return 0;
    }

    /// <summary>docker's NewNetworkFormat: an empty --format is "table"; -q prints the IDs.</summary>
    private static string Resolve(string format, bool quiet) => format is "" or "table"
        ? (quiet ? "{{.ID}}" : @"table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}")
        : format;

    private static string Labels(NetworkResource network) =>
        string.Join(",", network.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static string Bool(bool value) => value ? "true" : "false";

    private static readonly Placeholders<NetworkResource> Truncated = Context(id => id.Length > 12 ? id[..12] : id);
    private static readonly Placeholders<NetworkResource> Full = Context(id => id);

    /// <summary>docker's networkContext: its placeholders and headers; the ID is cut to 12 characters unless --no-trunc.</summary>
    private static Placeholders<NetworkResource> Context(Func<string, string> id) => new Placeholders<NetworkResource>("*formatter.networkContext", n => Json(n, id))
        .Add("ID", "NETWORK ID", n => id(n.Id))
        .Add("Name", "NAME", n => n.Name)
        .Add("Driver", "DRIVER", n => n.Driver)
        .Add("Scope", "SCOPE", n => n.Scope)
        .Add("IPv4", "IPV4", n => Bool(n.EnableIPv4))
        .Add("IPv6", "IPV6", n => Bool(n.EnableIPv6))
        .Add("Internal", "INTERNAL", n => Bool(n.Internal))
        .Add("Labels", "LABELS", Labels)
        .AddMethod("Label", 1, (n, a) => n.Labels.GetValueOrDefault(a[0] as string ?? throw new TemplateArgumentException(
            $"wrong type for value; expected string; got {TemplateValues.TypeName(a[0])}"), ""), Placeholders<NetworkResource>.LabelHeader)
        .Add("CreatedAt", "CREATED AT", n => n.Created);

    /// <summary>docker's `network ls --format json` line.</summary>
    private static string Json(NetworkResource network, Func<string, string> id) => GoJson.Object(
    [
        new("CreatedAt", network.Created),
        new("Driver", network.Driver),
        new("ID", id(network.Id)),
        new("IPv4", Bool(network.EnableIPv4)),
        new("IPv6", Bool(network.EnableIPv6)),
        new("Internal", Bool(network.Internal)),
        new("Labels", Labels(network)),
        new("Name", network.Name),
        new("Scope", network.Scope),
    ]);
}
