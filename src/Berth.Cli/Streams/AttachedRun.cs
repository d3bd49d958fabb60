namespace Berth.Cli.Streams;

/// <summary>The end of an attached run or start -a, as docker/cli waits for it: output drained, then the exit code.</summary>
internal static class AttachedRun
{
    /// <summary>
    /// Waits for the stream or the status, whichever comes first; when the status comes first the output is
    /// still drained (the daemon closes the stream once everything is flushed) unless no output is attached.
    /// A broken stream ends berth with 1 and its error, as in docker.
    /// </summary>
    public static async Task<int> FinishAsync(HijackedIo io, Task<int> status, bool outputAttached)
    {
        var first = await Task.WhenAny(io.Completion, status);
        if (first == io.Completion)
        {
            await io.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (io.Completion.Exception?.InnerException is { } error)
                throw new CommandLine.CliException(1, Output.CliConsole.IsBrokenPipe(error) ? "write /dev/stdout: broken pipe" : error.Message, error);
            return await status;
        }
        if (!outputAttached)
            await io.StopAsync();
        else
            await io.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await status;
    }
}
