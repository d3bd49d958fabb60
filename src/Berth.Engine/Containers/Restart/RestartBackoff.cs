namespace Berth.Engine.Containers.Restart;

/// <summary>
/// The restart decision of one container between two user starts, as moby's restartmanager: at each exit
/// <see cref="Decide"/> says whether and after which delay the policy restarts it. The delay starts at 100 ms and
/// doubles at every restart up to one minute; a run of 10 s or more resets it. <c>always</c> restarts after any exit,
/// <c>unless-stopped</c> unless the user stopped it, <c>on-failure[:N]</c> after a non-zero exit, at most N times.
/// A stop, kill or removal by the user <see cref="Cancel"/>s it: no restart after that, and a pending one is dropped.
/// Time comes from a <see cref="TimeProvider"/> so that the unit tests drive it with a fake clock.
/// </summary>
public sealed class RestartBackoff
{
    public static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromMinutes(1);

    /// <summary>A run at least this long resets the delay to <see cref="InitialDelay"/>.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _canceled = new();
    private RestartPolicy _policy;
    private TimeSpan _delay;
    private long _startedAt;

    /// <param name="restartCount">The restarts already counted (on-failure's maximum applies to them).</param>
    public RestartBackoff(RestartPolicy policy, int restartCount, TimeProvider time)
    {
        _policy = policy;
        RestartCount = restartCount;
        _time = time;
        _startedAt = time.GetTimestamp();
    }

    public int RestartCount { get; private set; }

    public bool IsCanceled => _canceled.IsCancellationRequested;

    /// <summary>Canceled by <see cref="Cancel"/>: ends the wait before a restart.</summary>
    public CancellationToken Canceled => _canceled.Token;

    /// <summary>`update --restart`: the next decision follows the new policy.</summary>
    public void SetPolicy(RestartPolicy policy)
    {
        lock (_gate)
            _policy = policy;
    }

    /// <summary>A run began (the start of the container, by the user or by the policy).</summary>
    public void Started()
    {
        lock (_gate)
            _startedAt = _time.GetTimestamp();
    }

    /// <summary>
    /// The run ended with <paramref name="exitCode"/>: the delay before the policy starts it again, or null when it
    /// does not. A restart is counted here (moby counts it when it decides).
    /// </summary>
    public TimeSpan? Decide(int exitCode, bool manuallyStopped)
    {
        lock (_gate)
        {
            if (_policy.IsNone || IsCanceled)
                return null;
            if (_time.GetElapsedTime(_startedAt) >= ResetAfter)
                _delay = TimeSpan.Zero;
            _delay = _delay == TimeSpan.Zero ? InitialDelay : _delay * 2;
            if (_delay > MaximumDelay)
                _delay = MaximumDelay;
            bool restart = _policy.Name switch
            {
                RestartPolicy.Always => true,
                RestartPolicy.UnlessStopped => !manuallyStopped,
                RestartPolicy.OnFailure => exitCode != 0 && (_policy.MaximumRetryCount == 0 || RestartCount < _policy.MaximumRetryCount),
                _ => false,
            };
            if (!restart)
                return null;
            RestartCount++;
            return _delay;
        }
    }

    /// <summary>
    /// Whether the policy starts a container that was stopped when the engine started, as moby's
    /// container.ShouldRestart at restore: a fresh decision on its last exit.
    /// </summary>
    public static bool StartsAtBoot(RestartPolicy? policy, ContainerState state) =>
        policy is { IsNone: false } && state.StartedAt != default
        && new RestartBackoff(policy, state.RestartCount, TimeProvider.System).Decide(state.ExitCode, state.HasBeenManuallyStopped) is not null;

    /// <summary>The user stopped, killed or removed the container: the policy does not restart it again.</summary>
    public void Cancel()
    {
        try
        {
            _canceled.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
