using System.Text;
using System.Text.Json;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// The `volume inspect` / `network inspect` output: each object's raw JSON in one indented array (compact for
/// "json"), or a Go template per object; objects that fail are listed on stderr after the rest, exit 1.
/// </summary>
internal static class ObjectInspector
{
    public static async Task<int> InspectAsync(string format, IEnumerable<string> names, Func<string, string> path, VerbContext context, CancellationToken cancellationToken)
    {
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
        foreach (string name in names)
        {
            try
            {
                byte[] raw = await client.GetBytesAsync(path(name), cancellationToken);
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
