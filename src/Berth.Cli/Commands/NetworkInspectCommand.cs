using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth network inspect [-f FORMAT] NETWORK...</c>: GET /networks/{id}, as a JSON array or through a template.</summary>
public sealed class NetworkInspectCommand : Verb
{
    private readonly Option<string> _format = Flags.String("--format", "-f", "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");

    public NetworkInspectCommand() : base("network inspect", "network inspect [OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command) => command.Options.Add(_format);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string format = parse.GetValue(_format) ?? "";
        GoTemplate? template = null;
        if (format is not ("" or "json"))
        {
            try
            {
                template = GoTemplate.Parse(format);
            }
            catch (TemplateException e)
            {
                throw TemplateFormat.Failed(e);
            }
        }
        var client = await context.ConnectAsync(cancellationToken);
        var raws = new List<string>();
        var output = new StringBuilder();
        var errors = new List<string>();
        foreach (string name in Positionals(parse))
        {
            try
            {
                byte[] raw = await client.GetBytesAsync($"/networks/{QueryString.EscapePath(name)}", cancellationToken);
                using var document = JsonDocument.Parse(raw);
                if (template is null)
                    raws.Add(Encoding.UTF8.GetString(raw));
                else
                    output.Append(TemplateFormat.Execute(template, document.RootElement.Clone(), missingKeyError: true)).Append('\n');
            }
            catch (Exception e) when (e is DaemonErrorException or JsonException or FormatException or CliException)
            {
                errors.Add(e.Message);
            }
        }
        if (template is not null)
            await context.Console.Out.WriteAsync(output.ToString());
        else
        {
            byte[] array = Encoding.UTF8.GetBytes("[" + string.Join(",", raws) + "]");
            await context.Console.Out.WriteAsync((format == "json" ? JsonText.Compact(array) : JsonText.Indent(array)) + "\n");
        }
        if (errors.Count == 0)
            return 0;
        await context.Console.Err.WriteLineAsync(string.Join("\n", errors));
        return 1;
    }
}
