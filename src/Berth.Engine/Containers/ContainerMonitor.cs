using System.Globalization;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Start;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// Watches a running container until its process is reaped, then ends the run: reads the OOM counter, releases what
/// the start steps hold, marks the container exited, wakes its waiters and removes it if it is auto-remove. The end
/// of a run cannot be stranded: the release is in a try whose finally always sets the state, clears the runtime and
/// completes the waiters; a failed release step is logged and left for the recovery at the next load.
/// With a restart policy that restarts it, the container becomes restarting instead of exited, and the restart is
/// scheduled only after everything above is done.
/// </summary>
internal sealed class ContainerMonitor(ContainerStore store, StartPipeline pipeline, ContainerEvents events, BackgroundWork work,
    Restart.RestartSupervisor restarts, ContainerRunHooks hooks, ILogger logger)
{
    /// <summary>Auto-remove after the exit; set by the manager that owns removal.</summary>
    public Func<Container, Task>? AutoRemove { get; set; }

    /// <summary>Cancelled for the containers the engine leaves running when it closes (live restore).</summary>
    private readonly CancellationTokenSource _leaving = new();
    private readonly HashSet<Container> _left = [];

    public void Watch(Container container, ContainerRuntime runtime) =>
        work.Run($"exit handling of {container.Id[..12]}", () => EndRunAsync(container, runtime));

    /// <summary>
    /// The engine closes and leaves these containers to berth-keeper: their exits are no longer handled here (the
    /// keeper keeps the status for the next engine), not even one that comes while the engine closes.
    /// </summary>
    public void Leave(IReadOnlyList<Container> containers)
    {
        lock (_left)
            _left.UnionWith(containers);
        _leaving.Cancel();
    }

    private async Task EndRunAsync(Container container, ContainerRuntime runtime)
    {
        int exitCode;
        string error = "";
        try
        {
            exitCode = await runtime.Process.Exited.WaitAsync(_leaving.Token);
        }
        catch (OperationCanceledException)
        {
            bool left;
            lock (_left)
                left = _left.Contains(container);
            if (left)
                return;
            exitCode = await runtime.Process.Exited; // not left: a container stopped at the close, as without live restore
        }
        catch (Exception e)
        {
            // Reaped by someone else or the pidfd failed: the status is lost, as after an engine crash.
            logger.LogWarning("Reaping {Container} failed: {Error}", container.Id[..12], e.Message);
            (exitCode, error) = (255, $"the exit status of the container's process could not be read: {e.Message}");
        }
        bool restarting = await HandleExitAsync(container, runtime, exitCode, error);
        if (!restarting && container.Record.HostConfig.AutoRemove && AutoRemove is { } remove)
            await remove(container);
    }

    /// <returns>Whether the restart policy restarts the container.</returns>
    internal async Task<bool> HandleExitAsync(Container container, ContainerRuntime runtime, int exitCode, string error)
    {
        bool oomKilled = false;
        TimeSpan? restartIn = null;
        try
        {
            hooks.RaiseEnding(container);
            // Before the release removes the cgroup; an adopted run that had ended has none left.
            oomKilled = runtime.Context.Cgroup is { } cgroup && SafeOomCheck(cgroup);
            await pipeline.ReleaseAsync(runtime.Context);
        }
        finally
        {
            restartIn = restarts.Decide(container, exitCode, out int restartCount);
            var exited = container.UpdateState(s =>
            {
                s.Status = restartIn is null ? ContainerStatus.Exited : ContainerStatus.Restarting;
                s.RestartCount = restartCount;
                s.Pid = 0;
                s.ExitCode = exitCode;
                s.Error = error;
                s.OOMKilled = oomKilled;
                s.FinishedAt = DateTime.UtcNow;
            });
            // Persisted before the runtime goes: a forced remove that finds no runtime deletes the container's
            // directory at once, and must not race this write.
            Save(container, exited);
            if (runtime.Process is Host.KeptProcess kept)
                kept.Forget(); // only now: had the engine died before the save, the next one would find the exit in the keeper
            container.Runtime = null;
            container.Terminal = null;
            if (oomKilled)
                events.Publish(container, "oom");
            events.Publish(container, "die", ("exitCode", exitCode.ToString(CultureInfo.InvariantCulture)));
            var signal = container.NextExit;
            container.NextExit = Container.NewExitSource();
            signal.TrySetResult(new ContainerExit(exitCode, oomKilled, error.Length > 0 ? error : null));
            if (restartIn is { } delay)
                restarts.Schedule(container, delay);
        }
        return restartIn is not null;
    }

    private void Save(Container container, ContainerState state)
    {
        try
        {
            store.SaveState(container.Id, state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The load marks a container whose state still says running as exited (recovery).
            logger.LogWarning("Saving the exit of {Container} failed: {Error}", container.Id[..12], e.Message);
        }
    }

    private bool SafeOomCheck(ContainerCgroup cgroup)
    {
        try
        {
            return cgroup.WasOomKilled();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CgroupException)
        {
            logger.LogWarning("Reading the OOM counter of {Cgroup} failed: {Error}", cgroup.Path, e.Message);
            return false;
        }
    }
}
