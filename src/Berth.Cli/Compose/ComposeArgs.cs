using Berth.Cli.CommandLine;

namespace Berth.Cli.Compose;

/// <summary>
/// The flags of one `berth compose` subcommand, parsed as pflag does: <c>--name value</c>, <c>--name=value</c>,
/// <c>-x value</c>, combined short booleans (<c>-dV</c>), repeated flags collected, and positionals; with
/// <c>interspersed</c> false the first positional ends the flags (exec and run: the rest is the command).
/// </summary>
internal sealed class ComposeArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Value(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var values) ? values : [];

    /// <param name="valued">Flags that take a value, by every spelling ("--tail", "-t" ...), mapped to their long name.</param>
    /// <param name="booleans">Boolean flags, by every spelling, mapped to their long name.</param>
    public static ComposeArgs Parse(string verb, IReadOnlyList<string> args, Dictionary<string, string> valued, Dictionary<string, string> booleans, bool interspersed = true)
    {
        var result = new ComposeArgs();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                result.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                if (!interspersed)
                {
                    result.Positionals.AddRange(args.Skip(i));
                    break;
                }
                result.Positionals.Add(arg);
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                int equals = arg.IndexOf('=');
                string name = equals < 0 ? arg : arg[..equals];
                if (valued.TryGetValue(name, out string? longName))
                {
                    string value = equals >= 0 ? arg[(equals + 1)..] : i + 1 < args.Count ? args[++i] : throw new FlagException($"flag needs an argument: {name}");
                    result.Add(longName, value);
                }
                else if (booleans.TryGetValue(name, out longName))
                {
                    result.Add(longName, equals < 0 ? "true" : arg[(equals + 1)..]);
                }
                else
                {
                    throw new FlagException($"unknown flag: {name}");
                }
                continue;
            }
            for (int c = 1; c < arg.Length; c++)
            {
                string name = "-" + arg[c];
                if (valued.TryGetValue(name, out string? longName))
                {
                    string value = c + 1 < arg.Length ? arg[(c + 1)..].TrimStart('=') : i + 1 < args.Count ? args[++i] : throw new FlagException($"flag needs an argument: '{arg[c]}' in {arg}");
                    result.Add(longName, value);
                    break;
                }
                if (!booleans.TryGetValue(name, out longName))
                    throw new FlagException($"unknown shorthand flag: '{arg[c]}' in {arg}");
                result.Add(longName, "true");
            }
        }
        return result;
    }

    public bool Bool(string name) => Value(name) is "true" or "1" or "True";

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var values))
            _values[name] = values = [];
        values.Add(value);
    }
}
