namespace Berth.Engine.Containers.Health;

/// <summary>
/// A container's health (State.Health), moby's state machine: <c>starting</c> from each start until the first probe
/// passes; a pass makes it <c>healthy</c> and resets the failing streak; a failure adds to the streak (not during the
/// start period while still starting) and <c>Retries</c> failures in a row make it <c>unhealthy</c>. The log keeps the
/// last five results.
/// </summary>
public sealed class HealthState
{
    public const string Starting = "starting";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    /// <summary>What `ps --filter health=none` matches: no healthcheck.</summary>
    public const string None = "none";

    /// <summary>moby's maxLogEntries.</summary>
    public const int LogEntries = 5;

    /// <summary>moby's maxOutputLen: a probe's output is cut to this many bytes.</summary>
    public const int MaxOutputBytes = 4096;

    public string Status { get; set; } = Starting;

    public int FailingStreak { get; set; }

    public List<HealthcheckResult> Log { get; set; } = [];

    public HealthState Clone() => new() { Status = Status, FailingStreak = FailingStreak, Log = [.. Log] };

    /// <summary>Records a probe's result; returns the new status when it changed (a health_status event), else null.</summary>
    /// <param name="startedAt">When the container's run started: failures within the start period do not count while starting.</param>
    public string? Apply(HealthcheckResult result, HealthConfig config, DateTime startedAt)
    {
        string before = Status;
        Log.Add(result);
        if (Log.Count > LogEntries)
            Log.RemoveRange(0, Log.Count - LogEntries);
        if (result.ExitCode == 0)
        {
            FailingStreak = 0;
            Status = Healthy;
        }
        else if (Status != Starting || result.Start - startedAt >= config.StartPeriodOrDefault)
        {
            FailingStreak++;
            if (FailingStreak >= config.RetriesOrDefault)
                Status = Unhealthy;
        }
        return Status != before ? Status : null;
    }

    /// <summary>
    /// The wait before the next probe (moby's monitor): the start interval while the container is still starting within
    /// its start period, the interval otherwise.
    /// </summary>
    public static TimeSpan NextDelay(HealthConfig config, string status, DateTime startedAt, DateTime now) =>
        now - startedAt < config.StartPeriodOrDefault && status == Starting ? config.StartIntervalOrDefault : config.IntervalOrDefault;
}
