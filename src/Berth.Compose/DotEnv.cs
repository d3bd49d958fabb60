namespace Berth.Compose;

/// <summary>
/// A <c>.env</c> or <c>env_file</c> file: <c>KEY=VALUE</c> lines, <c>#</c> comments, an optional <c>export </c>,
/// values in single quotes taken literally, in double quotes with <c>\n</c> escapes, unquoted ones trimmed and cut at
/// <c> #</c>. A bare <c>KEY</c> is kept as null (taken from the environment where compose does that).
/// </summary>
public static class DotEnv
{
    public static List<KeyValuePair<string, string?>> Read(string path)
    {
        var values = new List<KeyValuePair<string, string?>>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (line.StartsWith("export ", StringComparison.Ordinal))
                line = line[7..].TrimStart();
            int equals = line.IndexOf('=');
            string key = (equals < 0 ? line : line[..equals]).Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
                throw new ComposeFileException($"{path}:{number}: unexpected character in variable name \"{key}\"");
            if (equals < 0)
            {
                values.Add(new(key, null));
                continue;
            }
            string value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
                value = value[1..^1];
            else if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                value = value[1..^1].Replace("\\n", "\n").Replace("\\\"", "\"").Replace("\\\\", "\\");
            else if (value.IndexOf(" #", StringComparison.Ordinal) is int comment and >= 0)
                value = value[..comment].TrimEnd();
            values.Add(new(key, value));
        }
        return values;
    }
}
