using System.Globalization;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Host;
using Berth.Engine.Containers.Start;
using Berth.Engine.Images;
using Berth.Engine.Processes;
using Berth.Engine.Volumes;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// The operations that move a container between its states (<see cref="ContainerTransitions"/>): start through the
/// <see cref="StartPipeline"/>, stop with escalation to SIGKILL, kill, pause, unpause, remove and wait. Each holds the
/// container's lifecycle lock, so they never interleave on one container; the exit (<see cref="ContainerMonitor"/>)
/// does not take it, so a stop waiting for the exit under the lock is never blocked by it.
/// </summary>
internal sealed class ContainerLifecycle(
    ImageStore images,
    ICgroupDriver cgroups,
    ILifecycleHost host,
    ContainerStore store,
    ContainerIndex index,
    StartPipeline pipeline,
    ContainerMonitor monitor,
    ContainerMounts mounts,
    ContainerEvents events,
    Restart.RestartSupervisor restarts,
    ContainerRunHooks hooks,
    ILogger logger)
{
    /// <summary>How long a SIGKILLed container may take to exit before the cgroup is killed too.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long a kill may take in all: a process in uninterruptible sleep (D state) ignores SIGKILL until it wakes.</summary>
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Raised after a container was removed (exec sessions and other per-container state go with it).</summary>
    public event Action<Container>? Removed;

    /// <summary>Starts the container; returns false when it already runs. A failed start of an auto-remove container removes it, as moby does.</summary>
    public async Task<bool> StartAsync(Container container, CancellationToken ct)
    {
        await container.Lifecycle.WaitAsync(ct);
        bool removeAfter = false;
        try
        {
            ThrowIfRemoved(container);
            if (!ContainerTransitions.CanStart(container))
                return false;
            await StartLockedAsync(container, byUser: true);
            return true;
        }
        catch (ContainerStartException) when (container.Record.HostConfig.AutoRemove)
        {
            removeAfter = true; // so that `docker run --rm`, waiting for the removal, returns
            throw;
        }
        finally
        {
            container.Lifecycle.Release();
            if (removeAfter)
                await AutoRemoveAsync(container);
        }
    }

    /// <param name="byUser">A start by the user (or by the engine at boot), not by the restart policy: the restart count and the
    /// user's earlier stop are forgotten, as moby's containerStart with resetRestartManager.</param>
    private async Task StartLockedAsync(Container container, bool byUser)
    {
        var image = images.Find(container.Record.ImageId) ?? throw new ImageNotFoundException(container.Record.ImageId);
        var context = new StartContext(container, image);
        long begin = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // Not the request's token: a start that got as far as a launch is not undone because its client left.
            await pipeline.RunAsync(context, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning("Start of {Container} failed: {Error}", container.Id[..12], e.Message);
            host.Forget(container.Id); // live restore: a start that failed after the keeper was handed its fds
            int code = e is ContainerStartException start ? start.ExitCode : 128;
            store.SaveState(container.Id, container.UpdateState(s => (s.ExitCode, s.Error) = (code, e.Message)));
            throw e is ContainerStartException ? e : new ContainerStartException(code, e.Message);
        }
        var process = context.Process!;
        var times = context.StepTimes;
        container.LastStartTimings = new StartTimings(
            times.GetValueOrDefault("rootfs"), times.GetValueOrDefault("cgroup"), times.GetValueOrDefault("spec"), times.GetValueOrDefault("network"),
            process.LauncherTime, process.InitTime, System.Diagnostics.Stopwatch.GetElapsedTime(begin));
        logger.LogDebug("Started {Container}: {Timings}", container.Id[..12], container.LastStartTimings);
        var runtime = new ContainerRuntime(context);
        var started = container.UpdateState(s =>
        {
            s.Status = ContainerStatus.Running;
            s.Pid = process.Pid;
            s.ExitCode = 0;
            s.Error = "";
            s.OOMKilled = false;
            s.StartedAt = DateTime.UtcNow;
            if (byUser)
                (s.RestartCount, s.HasBeenManuallyStopped) = (0, false);
        });
        container.Runtime = runtime;
        store.SaveState(container.Id, started);
        container.ApplyConsoleSize();
        restarts.Started(container, byUser);
        events.Publish(container, "start");
        hooks.RaiseStarted(container);
        monitor.Watch(container, runtime); // after "start", so that "die" never comes first
    }

    /// <summary>Sends the stop signal, then SIGKILL after the timeout; returns false when the container was not running (HTTP 304).</summary>
    public async Task<bool> StopAsync(Container container, int? timeoutSeconds, string? signal, CancellationToken ct)
    {
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            // The exit first: it is replaced only after the runtime is cleared, so it belongs to the run seen below.
            var exit = container.NextExit.Task;
            StoppedByUser(container, persist: true);
            if (container.Runtime is not { } runtime)
            {
                if (!EndRestarting(container))
                    return false;
                events.Publish(container, "stop");
                return true;
            }
            int stopSignal = Signals.Parse(signal ?? ContainerSpecBuilder.StopSignal(container.Record.Config));
            events.Publish(container, "kill", ("signal", stopSignal.ToString(CultureInfo.InvariantCulture)));
            runtime.Process.Signal(stopSignal);
            Unfreeze(container, runtime); // a paused container must run to handle its stop signal
            int timeout = timeoutSeconds ?? container.Record.Config.StopTimeout ?? 10;
            if (timeout < 0 || !await Completes(exit, TimeSpan.FromSeconds(timeout), ct))
            {
                events.Publish(container, "kill", ("signal", Signals.SIGKILL.ToString(CultureInfo.InvariantCulture)));
                await KillAndWaitAsync(container, runtime, exit);
            }
            events.Publish(container, "stop");
            return true;
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    private static async Task<bool> Completes(Task task, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(timeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task KillAndWaitAsync(Container container, ContainerRuntime runtime, Task exit)
    {
        // SIGKILL to the pid namespace's init ends every process in it; the cgroup catches any that escaped.
        runtime.Process.Signal(Signals.SIGKILL);
        Unfreeze(container, runtime);
        if (!await Completes(exit, KillGrace, CancellationToken.None))
            runtime.Cgroup.KillAll();
        await exit.WaitAsync(KillTimeout);
    }

    public void Kill(Container container, string? signal)
    {
        int number = Signals.Parse(string.IsNullOrEmpty(signal) ? "KILL" : signal);
        // moby's killWithSignal: SIGKILL, the stop signal (any signal when none is set) is the user stopping it.
        string? stopSignal = container.Record.Config.StopSignal;
        if (number == Signals.SIGKILL || string.IsNullOrEmpty(stopSignal) || Signals.Parse(stopSignal) == number)
        {
            // Not persisted here (a kill does not hold the lifecycle lock, and a write could land after the exit's):
            // the exit it causes saves the flag.
            StoppedByUser(container, persist: false);
            if (container.State.Status == ContainerStatus.Restarting)
                return; // the pending restart sees the cancel and leaves it exited, as moby
        }
        var runtime = container.Runtime;
        if (runtime is null || !runtime.Process.Signal(number))
            throw new ContainerConflictException($"Container {container.Id} is not running");
        events.Publish(container, "kill", ("signal", number.ToString(CultureInfo.InvariantCulture)));
        if (number == Signals.SIGKILL)
            Unfreeze(container, runtime); // a frozen process cannot die until it is thawed
    }

    /// <summary>Freezes every process of the container (`docker pause`).</summary>
    public async Task PauseAsync(Container container, CancellationToken ct)
    {
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            ContainerTransitions.CheckPause(container);
            container.Runtime!.Cgroup.Freeze();
            store.SaveState(container.Id, container.UpdateState(s => s.Status = ContainerStatus.Paused));
            events.Publish(container, "pause");
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    public async Task UnpauseAsync(Container container, CancellationToken ct)
    {
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            ContainerTransitions.CheckUnpause(container);
            Unfreeze(container, container.Runtime!);
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    private void Unfreeze(Container container, ContainerRuntime runtime)
    {
        if (container.State.Status != ContainerStatus.Paused)
            return;
        try
        {
            runtime.Cgroup.Thaw();
        }
        catch (CgroupException e) when (e.InnerException is Berth.Interop.SyscallException { Errno: Berth.Interop.Errno.ENOENT })
        {
            // cgroup v2 delivers SIGKILL to frozen tasks: the container may already have exited and its cgroup been
            // removed by the exit path (seen in the cgroup v2 lane), so there is nothing left to thaw.
        }
        store.SaveState(container.Id, container.UpdateState(s =>
        {
            if (s.Status == ContainerStatus.Paused)
                s.Status = ContainerStatus.Running;
        }));
        events.Publish(container, "unpause");
    }

    /// <param name="removeVolumes">`rm -v` and `run --rm`: the container's anonymous volumes go with it, after the container.</param>
    public async Task RemoveAsync(Container container, bool force, bool removeVolumes, CancellationToken ct)
    {
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            ThrowIfRemoved(container);
            ContainerTransitions.CheckRemove(container, force);
            restarts.Cancel(container);
            EndRestarting(container);
            var exit = container.NextExit.Task;
            if (container.Runtime is { } runtime)
                await KillAndWaitAsync(container, runtime, exit);
            container.UpdateState(s => s.Status = ContainerStatus.Removing);
            try
            {
                if (cgroups.Open(container.Id) is { } leftover)
                    await leftover.DestroyAsync(CgroupStep.DestroyTimeout, ct);
                host.UnmountRootfs(container.Rootfs);
                store.Delete(container.Id);
            }
            catch
            {
                // As moby: a removal that failed leaves the container dead, to be removed again.
                container.UpdateState(s => s.Status = ContainerStatus.Dead);
                throw;
            }
            index.Forget(container);
            events.Publish(container, "destroy");
            if (removeVolumes)
                mounts.RemoveAnonymous(container); // after the container, as moby's ContainerRm
            Removed?.Invoke(container);
            container.Removed.TrySetResult(new ContainerExit(container.State.ExitCode, container.State.OOMKilled));
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    /// <summary>The user stops or kills the container: the policy does not restart it (`unless-stopped` remembers it).</summary>
    private void StoppedByUser(Container container, bool persist)
    {
        restarts.Cancel(container);
        if (restarts.ShuttingDown || container.State.HasBeenManuallyStopped)
            return;
        var state = container.UpdateState(s => s.HasBeenManuallyStopped = true);
        if (persist)
            store.SaveState(container.Id, state);
    }

    /// <summary>
    /// A restarting container whose restart will not happen becomes exited and its waiters wake. Under the lifecycle
    /// lock. Returns false when it was not restarting.
    /// </summary>
    private bool EndRestarting(Container container)
    {
        bool ended = false;
        var state = container.UpdateState(s =>
        {
            if (s.Status == ContainerStatus.Restarting)
                (s.Status, ended) = (ContainerStatus.Exited, true);
        });
        if (!ended)
            return false;
        try
        {
            store.SaveState(container.Id, state);
        }
        finally
        {
            var signal = container.NextExit;
            container.NextExit = Container.NewExitSource();
            signal.TrySetResult(ExitOf(container));
        }
        return true;
    }

    /// <summary>
    /// The restart policy's start after the back-off. Nothing happens when the container was stopped, killed or
    /// removed meanwhile; a start that fails leaves it exited (moby does not retry a failed restart).
    /// </summary>
    public async Task RestartByPolicyAsync(Container container, Restart.RestartBackoff backoff)
    {
        await container.Lifecycle.WaitAsync();
        try
        {
            if (container.Removed.Task.IsCompleted || container.State.Status != ContainerStatus.Restarting || container.Restarts != backoff)
                return;
            if (backoff.IsCanceled)
            {
                EndRestarting(container);
                return;
            }
            try
            {
                await StartLockedAsync(container, byUser: false);
                events.Publish(container, "restart");
            }
            catch (Exception e)
            {
                // Whatever failed, the container must not stay restarting with nothing pending.
                logger.LogWarning("Restart of {Container} by its policy failed: {Error}", container.Id[..12], e.Message);
                EndRestarting(container);
            }
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    private static void ThrowIfRemoved(Container container)
    {
        if (container.Removed.Task.IsCompleted)
            throw new ContainerNotFoundException(container.Id);
    }

    /// <summary>Removes an auto-remove container after its run; one that is already gone is fine.</summary>
    public async Task AutoRemoveAsync(Container container)
    {
        try
        {
            await RemoveAsync(container, force: true, removeVolumes: true, CancellationToken.None);
        }
        catch (ContainerNotFoundException)
        {
        }
        catch (Exception e) when (e is EngineException or IOException)
        {
            logger.LogError("Auto-remove of {Container} failed: {Error}", container.Id[..12], e.Message);
        }
    }

    public async Task<ContainerExit> WaitAsync(Container container, WaitCondition condition, CancellationToken ct)
    {
        // The exit first: it is replaced only after the runtime is cleared, so with a runtime it is this run's.
        var exit = container.NextExit.Task;
        Task<ContainerExit> task = condition switch
        {
            WaitCondition.Removed => container.Removed.Task,
            WaitCondition.NextExit => exit,
            // A restarting container counts as running, as in moby: its wait ends at its next exit or its stop.
            _ => container.Runtime is null && container.State.Status != ContainerStatus.Restarting ? Task.FromResult(ExitOf(container)) : exit,
        };
        return await task.WaitAsync(ct);
    }

    private static ContainerExit ExitOf(Container container)
    {
        var state = container.State;
        return new ContainerExit(state.ExitCode, state.OOMKilled, state.Error.Length > 0 ? state.Error : null);
    }
}
