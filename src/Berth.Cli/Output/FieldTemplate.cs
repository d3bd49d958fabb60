using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Berth.Cli.Output;

/// <summary>
/// The small part of Go templates that <c>inspect -f</c> is mostly used with, evaluated against the raw JSON:
/// literal text, <c>{{.Field.Sub}}</c> and <c>{{json .Field}}</c> (<c>{{.}}</c> and <c>{{json .}}</c> for the whole
/// object). Strings print as they are, numbers and booleans as JSON, null as "&lt;nil&gt;", objects and arrays as JSON.
/// </summary>
internal sealed partial class FieldTemplate
{
    private readonly List<(string Text, string[]? Path, bool Json)> _parts = [];

    private FieldTemplate()
    {
    }

    public static FieldTemplate Parse(string template)
    {
        var result = new FieldTemplate();
        int position = 0;
        foreach (Match match in Action().Matches(template))
        {
            result._parts.Add((template[position..match.Index], null, false));
            bool json = match.Groups["json"].Success;
            string path = match.Groups["path"].Value;
            result._parts.Add(("", path == "." ? [] : path[1..].Split('.'), json));
            position = match.Index + match.Length;
        }
        string rest = template[position..];
        if (rest.Contains("{{"))
            throw new FormatException($"template parsing error: berth supports only {{{{.Field}}}} and {{{{json .Field}}}} (in \"{template}\")");
        result._parts.Add((rest, null, false));
        return result;
    }

    public string Execute(JsonElement root)
    {
        var text = new StringBuilder();
        foreach (var (literal, path, json) in _parts)
        {
            text.Append(literal);
            if (path is null)
                continue;
            JsonElement? value = root;
            foreach (string field in path)
                value = value is { ValueKind: JsonValueKind.Object } element && TryGet(element, field, out var child) ? child : null;
            if (value is not { } found)
                throw new FormatException($"template: executing \"\": map has no entry for key \"{path.LastOrDefault()}\"");
            text.Append(json ? found.GetRawText() : Plain(found));
        }
        return text.ToString();
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
            return true;
        foreach (var property in element.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        return false;
    }

    private static string Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "<nil>",
        JsonValueKind.Object or JsonValueKind.Array => JsonText.Compact(Encoding.UTF8.GetBytes(value.GetRawText())),
        _ => value.GetRawText(),
    };

    [GeneratedRegex(@"\{\{-?\s*(?:(?<json>json)\s+)?(?<path>\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?)\s*-?\}\}")]
    private static partial Regex Action();
}
