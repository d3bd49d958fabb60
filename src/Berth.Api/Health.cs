namespace Berth.Api;

/// <summary>A container's State.Health (swagger <c>Health</c>): <c>starting</c>, <c>healthy</c> or <c>unhealthy</c>, the failing streak and the last results.</summary>
public sealed class Health
{
    public string Status { get; set; } = "";

    public int FailingStreak { get; set; }

    public List<HealthcheckResult> Log { get; set; } = [];
}
