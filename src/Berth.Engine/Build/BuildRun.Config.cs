using System.Globalization;
using System.Text.Json;
using Berth.Engine.Containers;
using Berth.Engine.Images;

namespace Berth.Engine.Build;

/// <summary>The instructions that change only the config (and WORKDIR, which also creates its directory).</summary>
internal sealed partial class BuildRun
{
    private async Task ConfigStepAsync(BuildStage stage, DockerfileInstruction instruction, CancellationToken ct)
    {
        var c = stage.Config;
        int line = instruction.Line;
        string comment;
        ImageExecutionConfig config;
        Func<string, Task>? work = null;
        switch (instruction.Keyword)
        {
            case "ENV":
            {
                var env = (c.Env ?? []).ToList();
                var pairs = Pairs(stage, instruction);
                foreach (var (key, value) in pairs)
                {
                    env.RemoveAll(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
                    env.Add(key + "=" + value);
                }
                comment = "ENV " + string.Join(' ', pairs.Select(p => p.Key + "=" + p.Value));
                config = Copy(c, env: env);
                break;
            }
            case "LABEL":
            {
                var labels = new Dictionary<string, string>(c.Labels ?? new Dictionary<string, string>());
                var pairs = Pairs(stage, instruction);
                foreach (var (key, value) in pairs)
                    labels[key] = value;
                comment = "LABEL " + string.Join(' ', pairs.Select(p => p.Key + "=" + p.Value));
                config = Copy(c, labels: labels);
                break;
            }
            case "MAINTAINER":
                stage.Author = Required(instruction);
                comment = "MAINTAINER " + stage.Author;
                config = c;
                break;
            case "ARG":
            {
                var parts = new List<string>();
                foreach (var (name, value) in ArgPairs(instruction, Lookup(stage)))
                {
                    string? given = UserArg(name);
                    string? effective = given ?? value ?? (_metaArgs.TryGetValue(name, out string? meta) ? meta : null);
                    stage.Args[name] = effective;
                    _usedArgs.Add(name);
                    parts.Add(value is null ? name : name + "=" + value);
                }
                comment = "ARG " + string.Join(' ', parts);
                config = c;
                break;
            }
            case "WORKDIR":
            {
                string dir = Word(stage, instruction, Required(instruction));
                string path = Berth.Common.PatternMatcher.Clean(dir.StartsWith('/') ? dir : "/" + (c.WorkingDir ?? "/").Trim('/') + "/" + dir);
                comment = "WORKDIR " + path;
                config = new ImageExecutionConfig
                {
                    User = c.User, ExposedPorts = c.ExposedPorts, Env = c.Env, Entrypoint = c.Entrypoint, Cmd = c.Cmd, Volumes = c.Volumes,
                    WorkingDir = path, Labels = c.Labels, StopSignal = c.StopSignal, Healthcheck = c.Healthcheck, OnBuild = c.OnBuild,
                    Shell = c.Shell, ArgsEscaped = c.ArgsEscaped,
                };
                work = id => MakeDirectoryAsync(id, path, 0, 0, ct);
                break;
            }
            case "USER":
                config = With(c, user: Word(stage, instruction, Required(instruction)));
                comment = "USER " + config.User;
                break;
            case "STOPSIGNAL":
            {
                string signal = Word(stage, instruction, Required(instruction));
                try
                {
                    Signals.Parse(signal);
                }
                catch (EngineException e)
                {
                    throw new DockerfileException(line, e.Message);
                }
                config = With(c, stopSignal: signal);
                comment = "STOPSIGNAL " + signal;
                break;
            }
            case "EXPOSE":
            {
                var ports = new Dictionary<string, JsonElement>(c.ExposedPorts ?? new Dictionary<string, JsonElement>());
                var words = Words(stage, instruction);
                if (words.Count == 0)
                    throw new DockerfileException(line, "EXPOSE requires at least one argument");
                foreach (string port in words)
                    foreach (string key in Ports(port, line))
                        ports[key] = EmptyObject;
                comment = "EXPOSE " + string.Join(' ', ports.Keys.Order(StringComparer.Ordinal));
                config = With(c, ports: ports);
                break;
            }
            case "VOLUME":
            {
                var volumes = new Dictionary<string, JsonElement>(c.Volumes ?? new Dictionary<string, JsonElement>());
                var words = Words(stage, instruction);
                if (words.Count == 0)
                    throw new DockerfileException(line, "VOLUME requires at least one argument");
                foreach (string volume in words)
                {
                    if (volume.Trim().Length == 0)
                        throw new DockerfileException(line, "VOLUME specified can not be an empty string");
                    volumes[volume] = EmptyObject;
                }
                comment = "VOLUME [" + string.Join(' ', words) + "]";
                config = With(c, volumes: volumes);
                break;
            }
            case "CMD":
            {
                var cmd = CommandOf(stage, instruction);
                stage.CmdSet = true;
                comment = "CMD " + GoQuoted(cmd);
                config = With(c, cmd: cmd, setCmd: true);
                break;
            }
            case "ENTRYPOINT":
            {
                var entrypoint = CommandOf(stage, instruction);
                comment = "ENTRYPOINT " + GoQuoted(entrypoint);
                config = With(c, entrypoint: entrypoint, setEntrypoint: true, setCmd: !stage.CmdSet);
                break;
            }
            case "SHELL":
            {
                var shell = instruction.Json!.ToList();
                if (shell.Count == 0)
                    throw new DockerfileException(line, "SHELL requires at least one argument");
                comment = "SHELL [" + string.Join(' ', shell) + "]";
                config = With(c, shell: shell);
                break;
            }
            case "ONBUILD":
            {
                string trigger = instruction.Next!.Original;
                comment = "ONBUILD " + trigger;
                config = Copy(c, onBuild: [.. c.OnBuild ?? [], trigger]);
                break;
            }
            case "HEALTHCHECK":
            {
                var healthcheck = Healthcheck(instruction);
                comment = "HEALTHCHECK " + healthcheck.GetRawText();
                config = With(c, healthcheck: healthcheck);
                break;
            }
            default:
                throw new DockerfileException(line, $"unknown instruction: {instruction.Keyword}");
        }
        string separator = instruction.Keyword is "WORKDIR" ? "" : " ";
        string createdBy = string.Join(' ', Shell(stage)) + " #(nop) " + separator + comment;
        await CommitAsync(stage, createdBy, config, ct, work: work);
    }

    private static string Required(DockerfileInstruction instruction) => instruction.Arguments.Length > 0
        ? instruction.Arguments
        : throw new DockerfileException(instruction.Line, $"{instruction.Keyword} requires exactly one argument");

    /// <summary>CMD/ENTRYPOINT: the JSON form as is, the shell form through the stage's shell.</summary>
    private static List<string> CommandOf(BuildStage stage, DockerfileInstruction instruction) =>
        instruction.Json is { } json ? [.. json] : [.. Shell(stage), instruction.Arguments];

    /// <summary>Go's <c>%q</c> of a []string: <c>["a" "b"]</c>.</summary>
    private static string GoQuoted(IEnumerable<string> words) => "[" + string.Join(' ', words.Select(w => "\"" + w.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"")) + "]";

    /// <summary>ENV/LABEL pairs: <c>k=v ...</c> (quotes removed, variables expanded) or the legacy <c>k v w</c>.</summary>
    private List<KeyValuePair<string, string>> Pairs(BuildStage stage, DockerfileInstruction instruction)
    {
        if (instruction.Json is [var k, var v] && instruction.Line == 0)
            return [new(k, v)];
        var words = SplitKeepingQuotes(instruction.Arguments, dockerfile.Escape);
        if (words.Count == 0)
            throw new DockerfileException(instruction.Line, $"{instruction.Keyword} requires at least one argument");
        var pairs = new List<KeyValuePair<string, string>>();
        if (!words[0].Contains('='))
        {
            if (instruction.Keyword == "LABEL" || words.Count < 2)
                throw new DockerfileException(instruction.Line, $"{instruction.Keyword} must have two arguments");
            string rest = instruction.Arguments[words[0].Length..].TrimStart();
            pairs.Add(new(Word(stage, instruction, words[0]), Word(stage, instruction, rest)));
            return pairs;
        }
        foreach (string word in words)
        {
            int eq = word.IndexOf('=');
            if (eq < 0)
                throw new DockerfileException(instruction.Line, $"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            string key = Word(stage, instruction, word[..eq]);
            if (key.Length == 0)
                throw new DockerfileException(instruction.Line, $"{instruction.Keyword} names can not be blank");
            pairs.Add(new(key, Word(stage, instruction, word[(eq + 1)..])));
        }
        return pairs;
    }

    /// <summary>EXPOSE's <c>80</c>, <c>80/udp</c>, <c>8000-8002/tcp</c> as the config's keys.</summary>
    private static IEnumerable<string> Ports(string spec, int line)
    {
        int slash = spec.IndexOf('/');
        string range = slash < 0 ? spec : spec[..slash];
        string protocol = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        string[] bounds = range.Split('-');
        if (protocol is not ("tcp" or "udp" or "sctp") || bounds.Length > 2
            || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first) || first > 65535)
            throw new DockerfileException(line, $"invalid containerPort: {spec}");
        int lastPort = first;
        if (bounds.Length == 2 && (!int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out lastPort) || lastPort < first || lastPort > 65535))
            throw new DockerfileException(line, $"invalid containerPort: {spec}");
        for (int port = first; port <= lastPort; port++)
            yield return $"{port}/{protocol}";
    }

    private JsonElement Healthcheck(DockerfileInstruction instruction)
    {
        string args = instruction.Arguments;
        int space = args.IndexOfAny([' ', '\t']);
        string type = (space < 0 ? args : args[..space]).ToUpperInvariant();
        string rest = space < 0 ? "" : args[space..].Trim();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Test");
            if (type == "NONE")
            {
                if (rest.Length > 0 || instruction.Flags.Count > 0)
                    throw new DockerfileException(instruction.Line, "HEALTHCHECK NONE takes no arguments");
                json.WriteStringValue("NONE");
                json.WriteEndArray();
            }
            else if (type == "CMD")
            {
                if (rest.Length == 0)
                    throw new DockerfileException(instruction.Line, "Missing command after HEALTHCHECK CMD");
                var exec = rest.StartsWith('[') ? TryJsonArray(rest) : null;
                if (exec is not null)
                {
                    json.WriteStringValue("CMD");
                    foreach (string word in exec)
                        json.WriteStringValue(word);
                }
                else
                {
                    json.WriteStringValue("CMD-SHELL");
                    json.WriteStringValue(rest);
                }
                json.WriteEndArray();
                foreach (var (flag, name) in new[] { ("interval", "Interval"), ("timeout", "Timeout"), ("start-period", "StartPeriod"), ("start-interval", "StartInterval") })
                {
                    if (instruction.Flag(flag) is { } value)
                        json.WriteNumber(name, GoDuration(value, flag, instruction.Line));
                }
                if (instruction.Flag("retries") is { } retries)
                {
                    if (!int.TryParse(retries, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 0)
                        throw new DockerfileException(instruction.Line, $"invalid value for --retries: {retries}");
                    json.WriteNumber("Retries", n);
                }
                foreach (var flag in instruction.Flags)
                {
                    if (flag.Key is not ("interval" or "timeout" or "start-period" or "start-interval" or "retries"))
                        throw new DockerfileException(instruction.Line, $"unknown flag: {flag.Key}");
                }
            }
            else
                throw new DockerfileException(instruction.Line, $"Unknown type \"{type}\" in HEALTHCHECK (try CMD)");
            json.WriteEndObject();
        }
        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    private static List<string>? TryJsonArray(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, Berth.Engine.Images.ImageJsonContext.Default.ListString);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A Go duration ("30s", "1m30s", "500ms") in nanoseconds.</summary>
    internal static long GoDuration(string text, string flag, int line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$");
        if (!match.Success)
            throw new DockerfileException(line, $"invalid value for --{flag}: time: invalid duration \"{text}\"");
        double total = 0;
        for (int i = 0; i < match.Groups[1].Captures.Count; i++)
        {
            double value = double.Parse(match.Groups[1].Captures[i].Value, CultureInfo.InvariantCulture);
            total += value * match.Groups[2].Captures[i].Value switch
            {
                "ns" => 1, "us" or "µs" => 1e3, "ms" => 1e6, "s" => 1e9, "m" => 60e9, _ => 3600e9,
            };
        }
        return (long)total;
    }

    private static ImageExecutionConfig With(ImageExecutionConfig c, string? user = null, string? stopSignal = null,
        Dictionary<string, JsonElement>? ports = null, Dictionary<string, JsonElement>? volumes = null, List<string>? cmd = null, bool setCmd = false,
        List<string>? entrypoint = null, bool setEntrypoint = false, List<string>? shell = null, JsonElement? healthcheck = null) => new()
    {
        User = user ?? c.User,
        ExposedPorts = ports ?? c.ExposedPorts,
        Env = c.Env,
        Entrypoint = setEntrypoint ? entrypoint : c.Entrypoint,
        Cmd = setCmd ? cmd : c.Cmd,
        Volumes = volumes ?? c.Volumes,
        WorkingDir = c.WorkingDir,
        Labels = c.Labels,
        StopSignal = stopSignal ?? c.StopSignal,
        Healthcheck = healthcheck ?? c.Healthcheck,
        OnBuild = c.OnBuild,
        Shell = shell ?? c.Shell,
        ArgsEscaped = c.ArgsEscaped,
    };
}
