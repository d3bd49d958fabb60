using System.CommandLine;
using System.Globalization;
using Berth.Cli.Options;

namespace Berth.Cli.CommandLine;

/// <summary>Options with docker's spellings and help type names, and docker's errors for values that do not parse.</summary>
public static class Flags
{
    public static Option<bool> Bool(string name, string? shortName, string description) =>
        new(name, Aliases(shortName)) { Description = description };

    /// <summary>A flag taking one value; the last one given wins.</summary>
    public static Option<string> String(string name, string? shortName, string description, string helpName = "string") =>
        new(name, Aliases(shortName)) { Description = description, HelpName = helpName };

    /// <summary>A repeatable flag; every value is kept in order.</summary>
    public static Option<string[]> List(string name, string? shortName, string description, string helpName = "list") =>
        new(name, Aliases(shortName)) { Description = description, HelpName = helpName, AllowMultipleArgumentsPerToken = false };

    /// <summary>"-m, --memory" or "--cpus", as docker names a flag in its errors.</summary>
    public static string Display(Option option) =>
        option.Aliases.FirstOrDefault(a => a.Length == 2) is { } shortName ? $"{shortName}, {option.Name}" : option.Name;

    /// <summary>Converts a flag value; a <see cref="FlagValueException"/> becomes docker's "invalid argument" usage error.</summary>
    public static T Convert<T>(Option option, string value, Func<string, T> convert)
    {
        try
        {
            return convert(value);
        }
        catch (FlagValueException e)
        {
            throw new FlagException($"invalid argument \"{value}\" for \"{Display(option)}\" flag: {e.Message}");
        }
    }

    /// <summary>A Go int flag: strconv.ParseInt's errors.</summary>
    public static long ParseInt(Option option, string value) => Convert(option, value, text =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long result)
            ? result
            : throw new FlagValueException($"strconv.ParseInt: parsing \"{text}\": invalid syntax"));

    private static string[] Aliases(string? shortName) => shortName is null ? [] : [shortName];
}
