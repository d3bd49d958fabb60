using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// The ordered steps of a container start. A feature adds its step with <see cref="Insert"/> (e.g. network before
/// "launch") without touching the others. A failed step has the steps before it released in reverse order; at the
/// end of a run <see cref="ReleaseAsync"/> releases them all, each failure logged and the next step still released.
/// </summary>
public sealed class StartPipeline(ILogger logger)
{
    private readonly List<IStartStep> _steps = [];

    public IReadOnlyList<IStartStep> Steps => _steps;

    public StartPipeline Add(IStartStep step)
    {
        _steps.Add(step);
        return this;
    }

    /// <summary>Puts <paramref name="step"/> just before the step named <paramref name="before"/>.</summary>
    public StartPipeline Insert(IStartStep step, string before)
    {
        int index = _steps.FindIndex(s => s.Name == before);
        if (index < 0)
            throw new InvalidOperationException($"no start step `{before}` (steps: {string.Join(", ", _steps.Select(s => s.Name))})");
        _steps.Insert(index, step);
        return this;
    }

    /// <summary>Runs every step; on a failure releases the steps that ran (the failed one included) and rethrows.</summary>
    public async Task RunAsync(StartContext context, CancellationToken ct)
    {
        for (int i = 0; i < _steps.Count; i++)
        {
            long begin = Stopwatch.GetTimestamp();
            try
            {
                await _steps[i].StartAsync(context, ct);
            }
            catch
            {
                await ReleaseAsync(context, i);
                throw;
            }
            context.StepTimes[_steps[i].Name] = Stopwatch.GetElapsedTime(begin);
        }
    }

    /// <summary>Releases every step, last first; returns the failures (already logged as warnings).</summary>
    public Task<IReadOnlyList<Exception>> ReleaseAsync(StartContext context) => ReleaseAsync(context, _steps.Count - 1);

    private async Task<IReadOnlyList<Exception>> ReleaseAsync(StartContext context, int last)
    {
        var failures = new List<Exception>();
        for (int i = last; i >= 0; i--)
        {
            try
            {
                await _steps[i].ReleaseAsync(context);
            }
            catch (Exception e)
            {
                // Left for the recovery at the next load, which frees cgroups and mounts no running container owns.
                logger.LogWarning("Releasing the {Step} of {Container} failed: {Error}", _steps[i].Name, context.Container.Id[..12], e.Message);
                failures.Add(e);
            }
        }
        return failures;
    }
}
