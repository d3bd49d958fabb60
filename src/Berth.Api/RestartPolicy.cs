namespace Berth.Api;

/// <summary>The restart policy: Name is "" or <c>no</c> (the default), <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c>.</summary>
public sealed class RestartPolicy
{
    public string Name { get; set; } = "";

    public int MaximumRetryCount { get; set; }
}
