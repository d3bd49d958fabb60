using System.Text;

namespace Berth.Cli.Options;

/// <summary>
/// docker's <c>-e</c> and <c>--env-file</c>: "K=V" as given, a bare "K" takes the value from berth's own
/// environment (and is sent bare when unset); env files hold one "K[=V]" per line, '#' comments and blank
/// lines ignored, values kept verbatim (no quotes, no interpolation), a bare key looked up and dropped when unset.
/// Files come first so that -e overrides them.
/// </summary>
public static class EnvVariables
{
    public static List<string> Collect(IEnumerable<string> envFiles, IEnumerable<string> env, Func<string, string?> lookup)
    {
        var variables = new List<string>();
        foreach (string file in envFiles)
            variables.AddRange(ParseFile(file, lookup));
        foreach (string value in env)
            variables.Add(Validate(value, lookup));
        return variables;
    }

    /// <summary>opts.ValidateEnv.</summary>
    public static string Validate(string value, Func<string, string?> lookup)
    {
        int equals = value.IndexOf('=');
        string key = equals < 0 ? value : value[..equals];
        if (key.Length == 0)
            throw new FlagValueException("invalid environment variable: " + value);
        if (equals >= 0)
            return value;
        return lookup(key) is { } found ? key + "=" + found : value;
    }

    public static List<string> ParseFile(string path, Func<string, string?> lookup)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FlagValueException($"open {path}: {Describe(e)}");
        }
        try
        {
            return Parse(bytes, lookup);
        }
        catch (FormatException e)
        {
            throw new FlagValueException($"invalid env file ({path}): {e.Message}");
        }
    }

    public static List<string> Parse(byte[] bytes, Func<string, string?> lookup)
    {
        var variables = new List<string>();
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("invalid utf8 bytes");
        }
        if (text.StartsWith('\uFEFF'))
            text = text[1..];
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r').TrimStart();
            if (line.Length == 0 || line[0] == '#')
                continue;
            int equals = line.IndexOf('=');
            string key = equals < 0 ? line : line[..equals];
            if (key.Length == 0)
                throw new FormatException($"no variable name on line '{line}'");
            if (key.Contains(' ') || key.Contains('\t'))
                throw new FormatException($"variable '{key}' contains whitespaces");
            if (equals >= 0)
                variables.Add(line);
            else if (lookup(key) is { } found)
                variables.Add(key + "=" + found);
        }
        return variables;
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
