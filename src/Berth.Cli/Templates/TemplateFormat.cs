using Berth.Cli.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Templates;

/// <summary>
/// docker/cli's formatter.Format and Context.Write: "json" means <c>{{json .}}</c>; a "table" prefix prints the
/// header (the template run on the column names) and aligns the cells at tabs (tabwriter 10, 1, 3); the literal
/// two characters \t and \n in a format are a tab and a newline; each row ends with a newline.
/// </summary>
internal static class TemplateFormat
{
    public static bool IsTable(string format) => format.StartsWith("table", StringComparison.Ordinal);

    /// <summary>The template text of a format (Format.templateString).</summary>
    public static string TemplateText(string format)
    {
        switch (format)
        {
            case "table":
                return "";
            case "json":
                return "{{json .}}";
        }
        if (IsTable(format))
            format = format["table".Length..];
        return format.Trim(' ').Replace(@"\t", "\t").Replace(@"\n", "\n");
    }

    /// <exception cref="CliException">The format is not a template (docker's "template parsing error: ...").</exception>
    public static GoTemplate Parse(string format)
    {
        try
        {
            return GoTemplate.Parse(TemplateText(format));
        }
        catch (TemplateException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>Renders rows with a format (already resolved from the verb's defaults).</summary>
    public static string Render<TRow>(string format, Placeholders<TRow> placeholders, IEnumerable<TRow> rows)
    {
        var template = Parse(format);
        var body = new System.Text.StringBuilder();
        foreach (var row in rows)
            body.Append(Execute(template, placeholders.Bind(row))).Append('\n');
        if (!IsTable(format))
            return body.ToString();
        var table = new TabWriter(10, 3);
        table.Write(template.ExecuteHeader(placeholders.Header()) + "\n");
        table.Write(body.ToString());
        return table.ToString();
    }

    /// <summary>One execution, failures worded as docker's.</summary>
    public static string Execute(GoTemplate template, object? data, bool missingKeyError = false)
    {
        try
        {
            return template.Execute(data, missingKeyError);
        }
        catch (TemplateException e)
        {
            throw Failed(e);
        }
    }

    public static CliException Failed(TemplateException e) => new(1, "template parsing error: " + e.Message);
}
