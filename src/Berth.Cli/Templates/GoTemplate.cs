namespace Berth.Cli.Templates;

/// <summary>
/// A parsed Go text/template with docker's functions (docker/cli templates.Parse), evaluated without reflection:
/// data is JSON (<see cref="System.Text.Json.JsonElement"/>), <see cref="TemplateObject"/>s or plain values.
/// </summary>
internal sealed class GoTemplate
{
    private readonly string _name;
    private readonly string _text;
    private readonly ListNode _root;

    private GoTemplate(string name, string text, ListNode root)
    {
        _name = name;
        _text = text;
        _root = root;
    }

    /// <param name="name">The template's name in its errors: "" for docker's templates.Parse, "version" for docker version.</param>
    /// <exception cref="TemplateException">The text is not a template.</exception>
    public static GoTemplate Parse(string text, string name = "") =>
        new(name, text, TemplateParser.Parse(name, text, TemplateFunctions.Standard.Contains));

    /// <param name="missingKeyError">Go's Option("missingkey=error"), as docker inspect runs templates on raw JSON.</param>
    /// <exception cref="TemplateException">The template failed on this data.</exception>
    public string Execute(object? data, bool missingKeyError = false) =>
        TemplateExecutor.Execute(_name, _text, _root, data, TemplateFunctions.Standard, missingKeyError);

    /// <summary>The table header: the template run on the header names with docker's HeaderFunctions.</summary>
    public string ExecuteHeader(object? header) =>
        TemplateExecutor.Execute(_name, _text, _root, header, TemplateFunctions.ForHeader, missingKeyError: false);
}
