namespace Berth.Engine.Containers.Health;

/// <summary>One probe (State.Health.Log): when it ran, its exit code (-1: it could not run or timed out) and its output.</summary>
public sealed class HealthcheckResult
{
    public DateTime Start { get; set; }

    public DateTime End { get; set; }

    public int ExitCode { get; set; }

    public string Output { get; set; } = "";
}
