using Berth.Api;

namespace Berth.Cli.Options;

/// <summary>`--restart no|always|unless-stopped|on-failure[:N]` as docker/cli's opts.ParseRestartPolicy reads it.</summary>
public static class RestartPolicyOption
{
    /// <summary>Throws <see cref="FlagValueException"/> with docker's wording for a bad policy.</summary>
    public static RestartPolicy Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return new RestartPolicy { Name = "no" };
        string[] parts = text.Split(':', 2);
        string name = parts[0];
        if (name is not ("no" or "always" or "unless-stopped" or "on-failure"))
            throw new FlagValueException($"invalid restart policy: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        int retries = 0;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out retries) || retries < 0))
            throw new FlagValueException("invalid restart policy: maximum retry count must be a positive integer");
        if (parts.Length == 2 && name != "on-failure")
            throw new FlagValueException("invalid restart policy: maximum retry count can only be used with 'on-failure'");
        return new RestartPolicy { Name = name, MaximumRetryCount = retries };
    }
}
