using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Cli.Api;
using Berth.Cli.Api.Wire;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth events [--since T] [--until T] [-f key=value]... [--format json]</c>: GET /events, printed as each event
/// arrives, until the stream ends (with --until) or berth is interrupted.
/// </summary>
public sealed class EventsCommand : Verb
{
    private readonly Option<string[]> _filter = Flags.List("--filter", "-f", "Filter output based on conditions provided", "filter");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");
    private readonly Option<string> _since = Flags.String("--since", null, "Show all events created since timestamp");
    private readonly Option<string> _until = Flags.String("--until", null, "Stream events until this timestamp");

    public EventsCommand() : base("events", "events [OPTIONS]", "Get real time events from the server", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_filter);
        command.Options.Add(_format);
        command.Options.Add(_since);
        command.Options.Add(_until);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var filters = FilterFlags.Read(parse, _filter);
        string format = parse.GetValue(_format) ?? "";
        GoTemplate? template = null;
        if (format is not ("" or "json"))
        {
            try
            {
                template = GoTemplate.Parse(format == "json" ? "{{json .}}" : format);
            }
            catch (TemplateException e)
            {
                throw new CliException(64, "Error parsing format: " + e.Message);
            }
        }

        var client = await context.ConnectAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var query = new QueryString();
        try
        {
            if (parse.GetValue(_since) is { Length: > 0 } since)
                query.Set("since", LogTimestamp.Convert(since, now));
            if (parse.GetValue(_until) is { Length: > 0 } until)
                query.Set("until", LogTimestamp.Convert(until, now));
        }
        catch (FlagValueException e)
        {
            throw new CliException(1, e.Message);
        }
        query.Filters(filters);

        using var response = await client.SendCheckedAsync(new HttpClientRequest("GET", client.Versioned("/events" + query)), cancellationToken);
        using var lines = new StreamReader(response.Body, new UTF8Encoding(false));
        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Trim().Length == 0)
                continue;
            EventMessage message;
            byte[] raw = Encoding.UTF8.GetBytes(line);
            try
            {
                message = JsonSerializer.Deserialize(raw, CliJsonContext.Default.EventMessage) ?? throw new JsonException("null event");
            }
            catch (JsonException e)
            {
                throw new CliException(1, e.Message);
            }
            string text = format == "json" ? EventLine.Json(message)
                : template is not null ? Render(template, raw)
                : EventLine.Pretty(message);
            await context.Console.Out.WriteAsync(text + "\n");
        }
        return 0;
    }

    /// <summary>The template on the event's JSON (docker's events.Message: an unknown field is an error).</summary>
    private static string Render(GoTemplate template, byte[] raw)
    {
        using var document = JsonDocument.Parse(raw);
        try
        {
            return template.Execute(document.RootElement, missingKeyError: true);
        }
        catch (TemplateException e)
        {
            throw new CliException(1, e.Message);
        }
    }
}
