namespace Berth.Cli.Options;

/// <summary>docker/cli parseSecurityOpts: every option is "key=value" or "key:value", except the bare "no-new-privileges".</summary>
public static class SecurityOptions
{
    public static string Validate(string option)
    {
        int index = option.IndexOf('=');
        if (index < 0 && option != "no-new-privileges")
            index = option.IndexOf(':');
        string key = index < 0 ? option : option[..index];
        string value = index < 0 ? "" : option[(index + 1)..];
        if ((index < 0 || value.Length == 0) && key != "no-new-privileges")
            throw new FlagValueException($"Invalid --security-opt: \"{option}\"");
        return option;
    }
}
