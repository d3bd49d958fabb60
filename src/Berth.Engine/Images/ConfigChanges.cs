using System.Text;
using System.Text.Json;

namespace Berth.Engine.Images;

/// <summary>
/// The <c>--change</c> instructions of `docker commit` and `docker import` (moby's dockerfile.BuildFromConfig): CMD,
/// ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME and WORKDIR, in Dockerfile syntax, applied in order
/// to a config. CMD and ENTRYPOINT take the JSON form or the shell form (<c>/bin/sh -c "..."</c>); ENV and LABEL take
/// <c>k=v</c> pairs (quotes allowed) or the legacy <c>ENV k v</c>; EXPOSE adds <c>/tcp</c> when no protocol is given.
/// Anything else is an <see cref="ArgumentException"/> with moby's wording.
/// </summary>
public static class ConfigChanges
{
    public static ImageExecutionConfig Apply(ImageExecutionConfig? config, IEnumerable<string> changes)
    {
        var c = config ?? new ImageExecutionConfig();
        var env = c.Env?.ToList();
        var labels = c.Labels is null ? null : new Dictionary<string, string>(c.Labels);
        var ports = c.ExposedPorts is null ? null : new Dictionary<string, JsonElement>(c.ExposedPorts);
        var volumes = c.Volumes is null ? null : new Dictionary<string, JsonElement>(c.Volumes);
        var onBuild = c.OnBuild?.ToList();
        var (cmd, entrypoint, user, workdir, stopSignal) = (c.Cmd, c.Entrypoint, c.User, c.WorkingDir, c.StopSignal);
        var empty = JsonDocument.Parse("{}").RootElement;
        foreach (string change in changes.Where(ch => !string.IsNullOrWhiteSpace(ch)))
        {
            string line = change.Trim();
            int space = line.IndexOfAny([' ', '\t']);
            string instruction = (space < 0 ? line : line[..space]).ToUpperInvariant();
            string rest = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (instruction)
            {
                case "CMD":
                    cmd = CommandForm(rest);
                    break;
                case "ENTRYPOINT":
                    entrypoint = CommandForm(rest);
                    break;
                case "ENV":
                    env ??= [];
                    foreach (var (key, value) in Pairs(rest, instruction))
                    {
                        env.RemoveAll(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
                        env.Add(key + "=" + value);
                    }
                    break;
                case "LABEL":
                    labels ??= [];
                    foreach (var (key, value) in Pairs(rest, instruction))
                        labels[key] = value;
                    break;
                case "EXPOSE":
                    ports ??= [];
                    foreach (string port in Words(rest, instruction))
                        ports[Port(port)] = empty;
                    break;
                case "VOLUME":
                    volumes ??= [];
                    foreach (string volume in rest.StartsWith('[') ? Json(rest, instruction) : Words(rest, instruction))
                        volumes[volume] = empty;
                    break;
                case "USER":
                    user = Single(rest, instruction);
                    break;
                case "WORKDIR":
                    string dir = Single(rest, instruction);
                    workdir = dir.StartsWith('/') ? dir : Path.Combine("/", workdir ?? "/", dir);
                    break;
                case "STOPSIGNAL":
                    stopSignal = Single(rest, instruction);
                    break;
                case "ONBUILD":
                    (onBuild ??= []).Add(rest.Length > 0 ? rest : throw new ArgumentException("ONBUILD requires at least one argument"));
                    break;
                default:
                    throw new ArgumentException($"{instruction.ToLowerInvariant()} is not a valid change command");
            }
        }
        return new ImageExecutionConfig
        {
            User = user,
            ExposedPorts = ports,
            Env = env,
            Entrypoint = entrypoint,
            Cmd = cmd,
            Volumes = volumes,
            WorkingDir = workdir,
            Labels = labels,
            StopSignal = stopSignal,
            Healthcheck = c.Healthcheck,
            OnBuild = onBuild,
            Shell = c.Shell,
            ArgsEscaped = c.ArgsEscaped,
        };
    }

    /// <summary>The JSON (exec) form when the text is a JSON array of strings, otherwise the shell form.</summary>
    private static List<string> CommandForm(string rest)
    {
        if (rest.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize(rest, ImageJsonContext.Default.ListString) ?? [];
            }
            catch (JsonException)
            {
                // Not JSON: Docker falls back to the shell form too.
            }
        }
        return ["/bin/sh", "-c", rest];
    }

    private static List<string> Json(string rest, string instruction)
    {
        try
        {
            return JsonSerializer.Deserialize(rest, ImageJsonContext.Default.ListString) ?? [];
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{instruction}: invalid JSON array: {e.Message}", e);
        }
    }

    private static string Single(string rest, string instruction) =>
        rest.Length > 0 ? Unquote(rest) : throw new ArgumentException($"{instruction} requires exactly one argument");

    private static List<string> Words(string rest, string instruction)
    {
        var words = Split(rest);
        return words.Count > 0 ? words : throw new ArgumentException($"{instruction} requires at least one argument");
    }

    private static string Port(string port)
    {
        string number = port.Split('/')[0];
        string protocol = port.Contains('/') ? port[(port.IndexOf('/') + 1)..].ToLowerInvariant() : "tcp";
        if (!int.TryParse(number.Split('-')[0], out int n) || n is < 0 or > 65535 || protocol is not ("tcp" or "udp" or "sctp"))
            throw new ArgumentException($"invalid containerPort: {port}");
        return number + "/" + protocol;
    }

    /// <summary><c>k=v k2="v 2"</c>, or the legacy single pair <c>k v w</c> (the value is the rest of the line).</summary>
    private static List<(string Key, string Value)> Pairs(string rest, string instruction)
    {
        var words = Split(rest);
        if (words.Count == 0)
            throw new ArgumentException($"{instruction} requires at least one argument");
        if (!words[0].Contains('='))
        {
            int space = rest.IndexOfAny([' ', '\t']);
            if (space < 0)
                throw new ArgumentException($"{instruction} must have two arguments");
            return [(words[0], Unquote(rest[(space + 1)..].Trim()))];
        }
        var pairs = new List<(string, string)>();
        foreach (string word in words)
        {
            int eq = word.IndexOf('=');
            if (eq <= 0)
                throw new ArgumentException($"{instruction} names can not be blank");
            pairs.Add((word[..eq], word[(eq + 1)..]));
        }
        return pairs;
    }

    /// <summary>Splits on unquoted blanks; quotes are removed and backslash escapes the next character.</summary>
    private static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch == '\\' && i + 1 < text.Length && quote != '\'')
            {
                word.Append(text[++i]);
                inWord = true;
            }
            else if (quote != '\0')
            {
                if (ch == quote)
                    quote = '\0';
                else
                    word.Append(ch);
            }
            else if (ch is '"' or '\'')
            {
                quote = ch;
                inWord = true;
            }
            else if (char.IsWhiteSpace(ch))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(ch);
                inWord = true;
            }
        }
        if (quote != '\0')
            throw new ArgumentException($"unterminated quote in `{text}`");
        if (inWord)
            words.Add(word.ToString());
        return words;
    }

    private static string Unquote(string text) => Split(text) is [var only] ? only : text;
}
