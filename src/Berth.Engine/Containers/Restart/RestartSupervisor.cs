using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers.Restart;

/// <summary>
/// Applies the restart policies: each start gives the container a <see cref="RestartBackoff"/> (a fresh one when the
/// user starts it), each exit asks it whether to restart, and a restart waits its delay as a pending timer (no thread)
/// before the lifecycle starts the container again. The user's stop, kill and rm cancel it; so does the engine's
/// shutdown, which is not a user's stop (`unless-stopped` containers come back at the next start of the engine).
/// </summary>
internal sealed class RestartSupervisor(TimeProvider time, BackgroundWork work, ILogger logger)
{
    private volatile bool _shuttingDown;

    /// <summary>The lifecycle's start by the policy; it does nothing when the wait was canceled or the container went on.</summary>
    public Func<Container, RestartBackoff, Task>? Restart { get; set; }

    /// <summary>The engine is closing: no container restarts from now on, and the stops it makes are not the user's.</summary>
    public bool ShuttingDown => _shuttingDown;

    public void BeginShutdown(IEnumerable<Container> containers)
    {
        _shuttingDown = true;
        foreach (var container in containers)
            container.Restarts?.Cancel();
    }

    /// <summary>A run begins: a start by the user (or the engine's start at boot) resets the back-off and the count, as moby's containerStart.</summary>
    public void Started(Container container, bool byUser)
    {
        if (byUser || container.Restarts is null || container.Restarts.IsCanceled)
            container.Restarts = new RestartBackoff(container.Record.HostConfig.RestartPolicy ?? new RestartPolicy(), 0, time);
        container.Restarts.Started();
    }

    /// <summary>The user stops, kills or removes the container: no restart after this exit, none pending.</summary>
    public void Cancel(Container container) => container.Restarts?.Cancel();

    /// <summary>At the exit: the delay before the restart, or null. Never throws (it runs in the exit path's finally).</summary>
    public TimeSpan? Decide(Container container, int exitCode, out int restartCount)
    {
        restartCount = container.Restarts?.RestartCount ?? 0;
        if (_shuttingDown || container.Restarts is not { } backoff)
            return null;
        var delay = backoff.Decide(exitCode, container.State.HasBeenManuallyStopped);
        restartCount = backoff.RestartCount;
        return delay;
    }

    /// <summary>Starts the container again after <paramref name="delay"/> unless the wait is canceled first.</summary>
    public void Schedule(Container container, TimeSpan delay)
    {
        var backoff = container.Restarts!;
        logger.LogDebug("Restarting {Container} in {Delay} (restart {Count})", container.Id[..12], delay, backoff.RestartCount);
        work.Run($"restart of {container.Id[..12]}", async () =>
        {
            try
            {
                await Task.Delay(delay, time, backoff.Canceled);
            }
            catch (OperationCanceledException)
            {
                // Stopped, killed or removed meanwhile: the lifecycle settles the state.
            }
            await Restart!(container, backoff);
        });
    }
}
