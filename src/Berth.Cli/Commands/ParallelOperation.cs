using Berth.Cli.Api;

namespace Berth.Cli.Commands;

/// <summary>
/// docker/cli's parallelOperation for stop, kill and rm: every container at once (at most 50 in flight), the
/// results taken in the order the containers were named.
/// </summary>
internal static class ParallelOperation
{
    private const int MaxParallel = 50;

    public static async Task<Exception?[]> RunAsync(IReadOnlyList<string> containers, Func<string, Task> operation)
    {
        using var slots = new SemaphoreSlim(MaxParallel);
        var tasks = containers.Select(async container =>
        {
            await slots.WaitAsync();
            try
            {
                await operation(container);
                return (Exception?)null;
            }
            catch (Exception e) when (e is DaemonErrorException or DaemonUnavailableException or IOException or CommandLine.CliException)
            {
                return e;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks);
    }

    /// <summary>Prints each name whose operation succeeded; the errors, joined by newlines as Go's errors.Join, end berth with 1.</summary>
    public static async Task<int> ReportAsync(Output.CliConsole output, IReadOnlyList<string> names, Exception?[] errors)
    {
        var failures = new List<string>();
        for (int i = 0; i < names.Count; i++)
        {
            if (errors[i] is { } error)
                failures.Add(error.Message);
            else
                await output.Out.WriteLineAsync(names[i]);
        }
        if (failures.Count == 0)
            return 0;
        await output.Err.WriteLineAsync(string.Join("\n", failures));
        return 1;
    }
}
