namespace Berth.Cli.Streams;

/// <summary>The end of an attached run or start -a, as docker/cli waits for it: output drained, then the exit code.</summary>
internal static class AttachedRun
{
    /// <summary>
    /// Waits for the stream or the status, whichever comes first; when the status comes first the output is
    /// still drained (the daemon closes the stream once everything is flushed) unless no output is attached.
    /// A broken stream ends berth with 1 and its error, as in docker. Typing the detach keys ends berth with 0
    /// at once, the container still running.
    /// </summary>
    public static async Task<int> FinishAsync(HijackedIo io, Task<int> status, bool outputAttached)
    {
        var first = await Task.WhenAny(io.Completion, status);
        if (first == io.Completion)
        {
            await ((Task)io.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (io.Completion.Exception?.InnerException is { } error)
                throw new CommandLine.CliException(1, Output.CliConsole.IsBrokenPipe(error) ? "write /dev/stdout: broken pipe" : error.Message, error);
            if (io.Completion.Result == HijackEnd.Detached)
            {
                io.Close();
                return 0;
            }
            return await status;
        }
        if (!outputAttached)
            await io.StopAsync();
        else
            await ((Task)io.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await status;
    }
}
