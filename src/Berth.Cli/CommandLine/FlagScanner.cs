using System.CommandLine;

namespace Berth.Cli.CommandLine;

/// <summary>
/// Checks a command line the way pflag parses it, before System.CommandLine binds it, so that berth fails
/// with docker's words: "unknown flag: --x", "unknown shorthand flag: 'x' in -x", "flag needs an argument:
/// --name", "bad flag syntax: ---x". Also finds --help (and -h where it means help) among the flags.
/// </summary>
public static class FlagScanner
{
    public readonly record struct Result(string? Error, bool HelpRequested, int FlagsEnd);

    /// <summary>
    /// Scans <paramref name="args"/> from <paramref name="start"/>. With <paramref name="interspersed"/> false
    /// scanning stops at the first positional argument. <see cref="Result.FlagsEnd"/> is where it stopped.
    /// </summary>
    public static Result Scan(IReadOnlyList<string> args, int start, IEnumerable<Option> options, bool interspersed)
    {
        var takesValue = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            bool value = option.ValueType != typeof(bool);
            takesValue[option.Name] = value;
            foreach (string alias in option.Aliases)
                takesValue[alias] = value;
        }
        bool help = false;
        int i = start;
        while (i < args.Count)
        {
            string arg = args[i++];
            if (arg == "--")
                return new(null, help, i - 1);
            if (arg.Length < 2 || arg[0] != '-')
            {
                if (!interspersed)
                    return new(null, help, i - 1);
                continue;
            }
            if (arg[1] == '-')
            {
                string name = arg[2..];
                if (name.Length == 0 || name[0] is '-' or '=')
                    return new($"bad flag syntax: {arg}", help, i);
                int equals = name.IndexOf('=');
                string flag = "--" + (equals < 0 ? name : name[..equals]);
                if (!takesValue.TryGetValue(flag, out bool needsValue))
                    return new($"unknown flag: {flag}", help, i);
                if (flag == "--help")
                    help = true;
                if (needsValue && equals < 0)
                {
                    if (i >= args.Count)
                        return new($"flag needs an argument: {flag}", help, i);
                    i++;
                }
                continue;
            }
            string shorthands = arg[1..];
            while (shorthands.Length > 0)
            {
                string flag = "-" + shorthands[0];
                if (!takesValue.TryGetValue(flag, out bool needsValue))
                    return new($"unknown shorthand flag: '{shorthands[0]}' in -{shorthands}", help, i);
                if (flag == "-h" && !needsValue)
                    help = true;
                if (shorthands.Length > 2 && shorthands[1] == '=')
                    break;
                if (needsValue)
                {
                    if (shorthands.Length == 1)
                    {
                        if (i >= args.Count)
                            return new($"flag needs an argument: '{shorthands[0]}' in -{shorthands}", help, i);
                        i++;
                    }
                    break;
                }
                shorthands = shorthands[1..];
            }
        }
        return new(null, help, args.Count);
    }
}
