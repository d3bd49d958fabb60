using System.Collections.Concurrent;
using System.Text;
using Berth.Engine.Logs;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers.Health;

/// <summary>
/// Runs the healthchecks of running containers: one timer-driven async loop per container with a healthcheck (no
/// thread: between probes it is a pending delay on the <see cref="TimeProvider"/>'s timer), each probe an exec session
/// of the engine whose output (the first 4 KiB) and exit code go into State.Health. A probe that outlives its timeout is
/// killed and counts as a failure (exit code -1), as in Docker. A change of status publishes "health_status: …".
/// The loop starts with each run and ends with it; a paused container is not probed.
/// </summary>
internal sealed class HealthMonitor
{
    private readonly ExecManager _execs;
    private readonly Action<Container, string> _publish;
    private readonly TimeProvider _time;
    private readonly BackgroundWork _work;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Container, CancellationTokenSource> _loops = new();

    public HealthMonitor(ContainerRunHooks hooks, ExecManager execs, Action<Container, string> publish, TimeProvider time, BackgroundWork work, ILogger logger)
    {
        _execs = execs;
        _publish = publish;
        _time = time;
        _work = work;
        _logger = logger;
        hooks.Started += Start;
        hooks.Ending += Stop;
    }

    /// <summary>Begins probing a running container (at each start; also for a container adopted after an engine restart).</summary>
    public void Start(Container container)
    {
        if (container.Record.Config.Healthcheck is not { IsEnabled: true } config)
            return;
        var stop = new CancellationTokenSource();
        if (_loops.TryRemove(container, out var previous))
            previous.Cancel();
        _loops[container] = stop;
        var startedAt = _time.GetUtcNow().UtcDateTime;
        container.UpdateState(s => s.Health = new HealthState());
        _work.Run($"healthcheck of {container.Id[..12]}", () => RunAsync(container, config, startedAt, stop.Token));
    }

    public void Stop(Container container)
    {
        if (_loops.TryRemove(container, out var stop))
            stop.Cancel();
    }

    /// <summary>Ends every loop (the engine closes).</summary>
    public void StopAll()
    {
        foreach (var container in _loops.Keys)
            Stop(container);
    }

    private async Task RunAsync(Container container, HealthConfig config, DateTime startedAt, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                string status = container.State.Health?.Status ?? HealthState.Starting;
                await Task.Delay(HealthState.NextDelay(config, status, startedAt, _time.GetUtcNow().UtcDateTime), _time, ct);
                if (container.State.Status != ContainerStatus.Running)
                    continue; // paused: no probe, as a frozen process cannot answer
                var result = await ProbeAsync(container, config, ct);
                ct.ThrowIfCancellationRequested(); // the run ended meanwhile: its result does not count
                string? changed = null;
                container.UpdateState(s =>
                {
                    s.Health ??= new HealthState();
                    changed = s.Health.Apply(result, config, startedAt);
                });
                if (changed is not null)
                    _publish(container, "health_status: " + changed);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<HealthcheckResult> ProbeAsync(Container container, HealthConfig config, CancellationToken ct)
    {
        var result = new HealthcheckResult { Start = _time.GetUtcNow().UtcDateTime };
        var output = new ProbeOutput();
        ExecSession? session = null;
        try
        {
            session = _execs.Create(container.Id, new ExecConfig { Cmd = config.Command(), AttachStdout = true, AttachStderr = true });
            _execs.Start(session.Id, output);
            var timeout = config.TimeoutOrDefault;
            try
            {
                result.ExitCode = await session.Exited.WaitAsync(timeout, _time, ct);
                await output.Completed.WaitAsync(TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                result.Output = output.Text();
            }
            catch (TimeoutException)
            {
                session.Kill();
                result.ExitCode = -1;
                result.Output = $"Health check exceeded timeout ({Go(timeout)})";
            }
        }
        catch (Exception e) when (e is EngineException or IOException or Berth.Interop.SyscallException)
        {
            // The probe could not run (the container stopped, the command is missing): a failure, as in Docker.
            _logger.LogDebug("Healthcheck of {Container} failed to run: {Error}", container.Id[..12], e.Message);
            result.ExitCode = -1;
            result.Output = e.Message;
        }
        finally
        {
            if (session is not null)
                _execs.Forget(session);
        }
        result.End = _time.GetUtcNow().UtcDateTime;
        return result;
    }

    /// <summary>A duration as Go prints it in moby's timeout message (30s, 1.5s, 500ms).</summary>
    private static string Go(TimeSpan value) =>
        value.TotalSeconds >= 1 ? $"{value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s"
            : $"{value.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}ms";

    /// <summary>Keeps the first <see cref="HealthState.MaxOutputBytes"/> bytes of the probe's stdout and stderr.</summary>
    private sealed class ProbeOutput : IOutputSink
    {
        private readonly Lock _gate = new();
        private readonly MemoryStream _bytes = new();
        private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completed => _completed.Task;

        public void Write(LogStream stream, ReadOnlySpan<byte> data)
        {
            lock (_gate)
            {
                int room = HealthState.MaxOutputBytes - (int)_bytes.Length;
                if (room > 0)
                    _bytes.Write(data[..Math.Min(room, data.Length)]);
            }
        }

        public void Complete() => _completed.TrySetResult();

        public string Text()
        {
            lock (_gate)
                return Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
        }
    }
}
