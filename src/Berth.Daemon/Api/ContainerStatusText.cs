using System.Globalization;
using Berth.Engine.Containers;

namespace Berth.Daemon.Api;

/// <summary>The Status column of <c>docker ps</c>: moby's container State.String().</summary>
public static class ContainerStatusText
{
    public static string Format(ContainerState state, DateTime utcNow)
    {
        if (state.Status == ContainerStatus.Restarting)
            return string.Create(CultureInfo.InvariantCulture, $"Restarting ({state.ExitCode}) {HumanDuration.Format(utcNow - state.FinishedAt)} ago");
        if (state.Running)
        {
            string up = HumanDuration.Format(utcNow - state.StartedAt);
            if (state.Status == ContainerStatus.Paused)
                return $"Up {up} (Paused)";
            // moby's State.String: the health after the uptime, "health: starting" until the first result.
            return state.Health?.Status switch
            {
                Berth.Engine.Containers.Health.HealthState.Starting => $"Up {up} (health: starting)",
                { Length: > 0 } health => $"Up {up} ({health})",
                _ => $"Up {up}",
            };
        }
        if (state.Status == ContainerStatus.Removing)
            return "Removal In Progress";
        if (state.Status == ContainerStatus.Dead)
            return "Dead";
        if (state.StartedAt == default)
            return "Created";
        if (state.FinishedAt == default)
            return "";
        return string.Create(CultureInfo.InvariantCulture, $"Exited ({state.ExitCode}) {HumanDuration.Format(utcNow - state.FinishedAt)} ago");
    }

    /// <summary>The lower-case state name of the API (<c>running</c>, <c>exited</c>...).</summary>
    public static string StateName(ContainerStatus status) => status.ToString().ToLowerInvariant();
}
