using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Engine.Images;

namespace Berth.Engine.Build;

/// <summary>
/// Parses a Dockerfile as buildkit's frontend/dockerfile/parser does (the parser the classic builder uses too):
/// parser directives (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>) only at the top, before any comment, blank
/// line or instruction; comment lines (first non-blank character <c>#</c>) dropped, also inside a continuation; a line
/// ending in the escape character (after trailing blanks) continues on the next one, joined as written; blank lines in
/// a continuation skipped; leading <c>--flags</c>; the JSON form for the instructions that have one; heredocs for RUN,
/// COPY and ADD. Errors are <see cref="DockerfileException"/>s naming the line.
/// </summary>
public static partial class DockerfileParser
{
    /// <summary>The instructions Docker knows (buildkit's command set).</summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(
    [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ]);

    private static readonly HashSet<string> JsonForms = ["CMD", "ENTRYPOINT", "RUN", "SHELL", "VOLUME", "COPY", "ADD"];
    private static readonly HashSet<string> HeredocForms = ["RUN", "COPY", "ADD"];

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"<<(-?)\s*(?:""([^""\s]*)""|'([^'\s]*)'|([a-zA-Z_][a-zA-Z0-9_]*))")]
    private static partial Regex HeredocPattern();

    public static Dockerfile Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length > 0 && lines[0].StartsWith('\uFEFF'))
            lines[0] = lines[0][1..];
        char escape = '\\';
        string? syntax = null;
        var seen = new HashSet<string>();
        int i = 0;
        for (; i < lines.Length; i++)
        {
            var match = DirectivePattern().Match(lines[i]);
            if (!match.Success)
                break;
            string key = match.Groups[1].Value.ToLowerInvariant();
            string value = match.Groups[2].Value;
            if (key is not ("syntax" or "escape" or "check"))
                break;
            if (!seen.Add(key))
                throw new DockerfileException(i + 1, $"only one {key} parser directive can be used");
            if (key == "escape")
            {
                if (value is not ("\\" or "`"))
                    throw new DockerfileException(i + 1, $"invalid escape token '{value}' does not match ^[\\\\`]$");
                escape = value[0];
            }
            else if (key == "syntax")
                syntax = value;
        }
        var instructions = new List<DockerfileInstruction>();
        while (i < lines.Length)
        {
            string line = lines[i];
            if (IsCommentOrBlank(line))
            {
                i++;
                continue;
            }
            int start = i + 1;
            var logical = new StringBuilder();
            while (true)
            {
                string current = lines[i++];
                if (logical.Length > 0 && IsCommentOrBlank(current))
                {
                    if (i >= lines.Length)
                        break;
                    continue;
                }
                if (TrimContinuation(current, escape) is { } continued)
                {
                    logical.Append(continued);
                    if (i >= lines.Length)
                        break;
                    continue;
                }
                logical.Append(current);
                break;
            }
            var instruction = ParseInstruction(logical.ToString().Trim(), start, escape, lines, ref i);
            if (instruction is not null)
                instructions.Add(instruction);
        }
        return new Dockerfile { Escape = escape, Syntax = syntax, Instructions = instructions };
    }

    /// <summary>Parses one logical line (ONBUILD's trigger, a <c>--change</c>); heredocs are not allowed there.</summary>
    public static DockerfileInstruction ParseLine(string line, int lineNumber = 0, char escape = '\\')
    {
        int none = 0;
        return ParseInstruction(line.Trim(), lineNumber, escape, [], ref none)
            ?? throw new DockerfileException(lineNumber, "empty instruction");
    }

    private static bool IsCommentOrBlank(string line)
    {
        string trimmed = line.TrimStart(' ', '\t');
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    /// <summary>The line without its continuation (escape character and trailing blanks), or null when it does not continue.</summary>
    private static string? TrimContinuation(string line, char escape)
    {
        string trimmed = line.TrimEnd(' ', '\t');
        if (trimmed.Length == 0 || trimmed[^1] != escape)
            return null;
        return trimmed[..^1];
    }

    private static DockerfileInstruction? ParseInstruction(string text, int line, char escape, string[] lines, ref int next)
    {
        if (text.Length == 0)
            return null;
        int space = IndexOfBlank(text);
        string word = space < 0 ? text : text[..space];
        string keyword = word.ToUpperInvariant();
        string rest = space < 0 ? "" : text[space..].TrimStart();
        if (!Keywords.Contains(keyword))
            throw new DockerfileException(line, $"unknown instruction: {word}");
        if (keyword == "ONBUILD")
        {
            if (rest.Length == 0)
                throw new DockerfileException(line, "ONBUILD requires at least one argument");
            var trigger = ParseInstruction(rest, line, escape, [], ref next)!;
            if (trigger.Keyword is "ONBUILD" or "FROM" or "MAINTAINER")
                throw new DockerfileException(line, $"{trigger.Keyword} isn't allowed as an ONBUILD trigger");
            return new DockerfileInstruction { Keyword = keyword, Original = text, Line = line, Arguments = rest, Next = trigger };
        }
        var flags = new List<KeyValuePair<string, string?>>();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            int end = IndexOfBlank(rest);
            string flag = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[end..].TrimStart();
            if (flag == "--")
                break;
            int eq = flag.IndexOf('=');
            flags.Add(eq < 0 ? new(flag[2..], null) : new(flag[2..eq], flag[(eq + 1)..]));
        }
        IReadOnlyList<string>? json = null;
        if (JsonForms.Contains(keyword) && rest.StartsWith('['))
            json = TryJson(rest);
        if (keyword == "SHELL" && json is null)
            throw new DockerfileException(line, "SHELL requires the arguments to be in JSON form");
        var heredocs = new List<Heredoc>();
        if (json is null && HeredocForms.Contains(keyword) && lines.Length > 0)
        {
            foreach (Match m in HeredocPattern().Matches(rest))
            {
                bool strip = m.Groups[1].Value == "-";
                bool quoted = !m.Groups[4].Success;
                string name = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Success ? m.Groups[3].Value : m.Groups[4].Value;
                var content = new StringBuilder();
                while (true)
                {
                    if (next >= lines.Length)
                        throw new DockerfileException(line, $"unterminated heredoc {name}");
                    string body = lines[next++];
                    string compare = strip ? body.TrimStart('\t') : body;
                    if (compare == name)
                        break;
                    content.Append(compare).Append('\n');
                }
                heredocs.Add(new Heredoc(name, content.ToString(), !quoted, strip));
            }
        }
        return new DockerfileInstruction
        {
            Keyword = keyword, Original = text, Line = line, Flags = flags, Arguments = rest, Json = json, Heredocs = heredocs,
        };
    }

    private static int IndexOfBlank(string text) => text.IndexOfAny([' ', '\t']);

    /// <summary>A JSON array of strings, or null (then the text is the shell form, as Docker falls back).</summary>
    private static List<string>? TryJson(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, ImageJsonContext.Default.ListString);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
