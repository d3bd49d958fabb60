using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth inspect NAME...</c>: GET /containers/{name}/json, else GET /images/{name}/json, and prints the
/// daemon's objects as docker does: an indented JSON array by default, one compact array with <c>-f json</c>,
/// or <c>-f '{{.State.Status}}'</c>-style fields.
/// </summary>
public sealed class InspectCommand : Verb
{
    private static readonly string[] KnownTypes = ["config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"];

    private readonly Option<string> _format = Flags.String("--format", "-f", "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");
    private readonly Option<bool> _size = Flags.Bool("--size", "-s", "Display total file sizes if the type is container");
    private readonly Option<string> _type = Flags.String("--type", null, "Only inspect objects of the given type");

    public InspectCommand() : base("inspect", "inspect [OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Berth objects", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_format);
        command.Options.Add(_size);
        command.Options.Add(_type);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string type = parse.GetValue(_type) ?? "";
        if (parse.GetResult(_type) is { Implicit: false } && type.Length == 0)
            throw new CliException(1, $"type is empty: must be one of \"{string.Join("\", \"", KnownTypes)}\"");
        if (type.Length > 0 && !KnownTypes.Contains(type))
            throw new CliException(1, $"unknown type: \"{type}\": must be one of \"{string.Join("\", \"", KnownTypes)}\"");
        if (type is not ("" or "container" or "image"))
            throw new CliException(1, $"berth: inspecting objects of type \"{type}\" is not supported");
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

        var raws = new List<byte[]>();
        var errors = new List<string>();
        var console = context.Console;
        DaemonClient? client = null;
        try
        {
            client = await context.ConnectAsync(cancellationToken);
        }
        catch (DaemonUnavailableException e)
        {
            errors.Add(e.Message);
        }
        var output = new StringBuilder();
        foreach (string name in client is null ? [] : Positionals(parse))
        {
            try
            {
                byte[] raw = await FindAsync(client!, name, type, parse.GetValue(_size), cancellationToken);
                if (template is null)
                {
                    using var _ = JsonDocument.Parse(raw);
                    raws.Add(raw);
                }
                else
                {
                    using var document = JsonDocument.Parse(raw);
                    // docker runs the template on its typed struct, then on the decoded JSON with missingkey=error.
                    output.Append(TemplateFormat.Execute(template, document.RootElement.Clone(), missingKeyError: true)).Append('\n');
                }
            }
            catch (Exception e) when (e is DaemonErrorException or IOException or JsonException or FormatException or CliException)
            {
                errors.Add(e.Message);
            }
        }
        if (template is not null)
            await console.Out.WriteAsync(output.Length == 0 ? "\n" : output.ToString());
        else if (raws.Count == 0)
            await console.Out.WriteAsync("[]\n");
        else
        {
            byte[] array = Encoding.UTF8.GetBytes("[" + string.Join(",", raws.Select(r => Encoding.UTF8.GetString(r))) + "]");
            await console.Out.WriteAsync((format == "json" ? JsonText.Compact(array) : JsonText.Indent(array)) + "\n");
        }
        if (errors.Count == 0)
            return 0;
        await console.Err.WriteLineAsync(string.Join("\n", errors));
        return 1;
    }

    /// <summary>The container, else (without --type) the image; "Error: No such object" when neither exists.</summary>
    private static async Task<byte[]> FindAsync(DaemonClient client, string name, string type, bool size, CancellationToken cancellationToken)
    {
        string escaped = QueryString.EscapePath(name);
        if (type is "" or "container")
        {
            try
            {
                return await client.GetBytesAsync($"/containers/{escaped}/json{new QueryString().Flag("size", size)}", cancellationToken);
            }
            catch (DaemonErrorException e) when (type == "" && IsSkippable(e))
            {
            }
        }
        if (type is "" or "image")
        {
            try
            {
                return await client.GetBytesAsync($"/images/{escaped}/json", cancellationToken);
            }
            catch (DaemonErrorException e) when (type == "" && IsSkippable(e))
            {
            }
        }
        throw new CliException(1, $"Error: No such object: {name}");
    }

    private static bool IsSkippable(DaemonErrorException e) =>
        e.IsNotFound || e.DaemonMessage.Contains("not supported") || e.DaemonMessage.Contains("invalid reference format");
}
