namespace Berth.Engine.Containers.Restart;

/// <summary>
/// A container's restart policy (HostConfig.RestartPolicy): <c>no</c> (or empty), <c>always</c>, <c>unless-stopped</c>
/// or <c>on-failure</c> with an optional maximum retry count (0: no maximum).
/// </summary>
public sealed class RestartPolicy
{
    public const string No = "no";
    public const string Always = "always";
    public const string UnlessStopped = "unless-stopped";
    public const string OnFailure = "on-failure";

    public string Name { get; set; } = "";

    public int MaximumRetryCount { get; set; }

    public bool IsNone => Name is "" or No;

    /// <summary>Docker's checks (moby's ValidateRestartPolicy and the `--rm` conflict), as client errors.</summary>
    public static void Validate(RestartPolicy? policy, bool autoRemove)
    {
        if (policy is null)
            return;
        switch (policy.Name)
        {
            case "" or No or Always or UnlessStopped:
                if (policy.MaximumRetryCount != 0)
                    throw new InvalidParameterException($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
                break;
            case OnFailure:
                if (policy.MaximumRetryCount < 0)
                    throw new InvalidParameterException("invalid restart policy: maximum retry count cannot be negative");
                break;
            default:
                throw new InvalidParameterException($"invalid restart policy: unknown policy '{policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (autoRemove && !policy.IsNone)
            throw new InvalidParameterException("can't create 'AutoRemove' container with restart policy");
    }
}
