namespace Berth.Cli.CommandLine;

/// <summary>How many positional arguments a verb takes, with docker/cli's messages (cli/required.go) when the count is wrong.</summary>
public readonly record struct ArgsRule(int Min, int Max)
{
    public static ArgsRule None => new(0, 0);

    public static ArgsRule AtLeast(int min) => new(min, int.MaxValue);

    public static ArgsRule AtMost(int max) => new(0, max);

    public static ArgsRule Exactly(int count) => new(count, count);

    /// <summary>The error for <paramref name="count"/> arguments, or null when it fits. Exit code 1, as docker's.</summary>
    public string? Check(int count, string commandPath, string useLine)
    {
        if (count >= Min && count <= Max)
            return null;
        string usage = $"\n\nUsage:  {useLine}\n\n";
        if (Max == 0)
            return $"berth: '{commandPath}' accepts no arguments{usage}Run '{commandPath} --help' for more information";
        if (Min == Max)
            return $"berth: '{commandPath}' requires {Min} {Plural(Min)}{usage}Run '{commandPath} --help' for more information";
        if (Max == int.MaxValue)
            return $"berth: '{commandPath}' requires at least {Min} {Plural(Min)}{usage}See '{commandPath} --help' for more information";
        if (Min == 0)
            return $"berth: '{commandPath}' requires at most {Max} {Plural(Max)}{usage}Run '{commandPath} --help' for more information";
        return $"berth: '{commandPath}' requires at least {Min} and at most {Max} {Plural(Max)}{usage}Run '{commandPath} --help' for more information";
    }

    private static string Plural(int count) => count == 1 ? "argument" : "arguments";
}
