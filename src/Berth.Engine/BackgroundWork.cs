using Microsoft.Extensions.Logging;

namespace Berth.Engine;

/// <summary>
/// The engine's fire-and-forget work (exit handling, auto-remove, stdin delivery): every such task goes through here,
/// is observed, and its failure is logged instead of lost. <see cref="DrainAsync"/> waits for what is still running
/// (engine close, tests).
/// </summary>
public sealed class BackgroundWork(ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];

    /// <summary>Runs <paramref name="work"/> on the thread pool; a failure is logged with <paramref name="what"/>.</summary>
    public void Run(string what, Func<Task> work) => Observe(what, Task.Run(work));

    /// <summary>Watches a task that has already started (its synchronous part ran in the caller, in order).</summary>
    public void Observe(string what, Task task)
    {
        var observed = LogFailureAsync(what, task);
        lock (_gate)
            _running.Add(observed);
        observed.ContinueWith(
            t =>
            {
                lock (_gate)
                    _running.Remove(t);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task LogFailureAsync(string what, Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Work} failed", what);
        }
    }

    /// <summary>Completes once every task started so far has ended.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
            return Task.WhenAll(_running.ToArray());
    }
}
