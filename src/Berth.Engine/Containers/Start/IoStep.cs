using Berth.Engine.Io;
using Berth.Engine.Logs;
using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// The run's stdio: pipes for stdin, stdout and stderr read on the epoll loop into the log (its driver and rotation)
/// and attached clients; for a Tty container /dev/null instead (the exec step receives the terminal berth-init makes). On
/// release it waits a few seconds for the output to drain, then closes it.
/// </summary>
internal sealed class IoStep(EpollLoop loop, LogConfig defaultLogConfig, BackgroundWork work, ILogger logger) : IStartStep
{
    /// <summary>A background child of the command can hold the output open after the exit; the release stops waiting then.</summary>
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);

    public string Name => "io";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        var container = context.Container;
        var output = new ContainerOutput(loop, container.LogPath, LogSettings.Parse(container.Record.HostConfig.LogConfig ?? defaultLogConfig));
        context.Output = output;
        if (container.Record.Config.Tty)
        {
            var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
            context.ChildStdio.AddRange([devNull, devNull, devNull]);
            return Task.CompletedTask;
        }
        if (container.Record.Config.OpenStdin)
        {
            var (read, write) = Sys.Pipe();
            context.ChildStdio.Add(read);
            context.Stdin = new ContainerStdin(write, isTerminal: false);
        }
        else
        {
            context.ChildStdio.Add(File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read));
        }
        var (stdoutRead, stdoutWrite) = Sys.Pipe();
        context.ChildStdio.Add(stdoutWrite);
        output.AddStream(LogStream.Stdout, stdoutRead);
        context.OutputFds.Add(("stdout", stdoutRead));
        var (stderrRead, stderrWrite) = Sys.Pipe();
        context.ChildStdio.Add(stderrWrite);
        output.AddStream(LogStream.Stderr, stderrRead);
        context.OutputFds.Add(("stderr", stderrRead));
        // Before the launch: input that attached clients sent early goes into the pipe, and no output is missed.
        container.BindRun(output, context.Stdin, work);
        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(StartContext context)
    {
        context.CloseChildEnds();
        context.Stdin?.Dispose();
        // A Tty run streams only once the exec step received its terminal (which then is its stdin too).
        bool streaming = !context.Container.Record.Config.Tty || context.Stdin is not null;
        if (context.Output is { } output)
        {
            try
            {
                if (streaming)
                    await output.Completion.WaitAsync(OutputDrainTimeout);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Output of {Container} still open {Timeout} after its exit", context.Container.Id[..12], OutputDrainTimeout);
            }
            finally
            {
                output.Dispose();
            }
        }
        context.Container.EndRun();
    }
}
