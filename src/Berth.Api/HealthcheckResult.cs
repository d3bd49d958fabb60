namespace Berth.Api;

/// <summary>One healthcheck probe (swagger <c>HealthcheckResult</c>); Start and End are RFC3339Nano.</summary>
public sealed class HealthcheckResult
{
    public string Start { get; set; } = ApiTimestamp.Never;

    public string End { get; set; } = ApiTimestamp.Never;

    public int ExitCode { get; set; }

    public string Output { get; set; } = "";
}
