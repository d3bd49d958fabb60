namespace Berth.Api;

/// <summary>A container's healthcheck (swagger <c>HealthConfig</c>); durations are in nanoseconds.</summary>
public sealed class HealthConfig
{
    /// <summary><c>[]</c> inherit, <c>["NONE"]</c> disable, <c>["CMD", args...]</c>, <c>["CMD-SHELL", command]</c>.</summary>
    public List<string>? Test { get; set; }

    public long Interval { get; set; }

    public long Timeout { get; set; }

    public int Retries { get; set; }

    public long StartPeriod { get; set; }

    public long StartInterval { get; set; }
}
