using Berth.Engine.Containers.Host;
using Berth.Engine.Logs;
using Berth.Engine.Processes;
using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// Tells the launch step's child to go on (Continue) and waits until its command runs; for a Tty container it then
/// streams the terminal berth-init sent. On release a process that still runs (a later step failed, or the run
/// ended with a child of it alive) is killed and reaped.
/// </summary>
internal sealed class ExecStep(BackgroundWork work, ILogger logger) : IStartStep
{
    /// <summary>How long a killed process may take to be reaped (it may be in uninterruptible sleep).</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(30);

    public string Name => "exec";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        var child = context.Child ?? throw new InvalidOperationException("the exec step needs the launch step before it");
        var (process, terminal) = child.Continue();
        context.Process = process;
        if (context.Container.Record.Config.Tty)
            StreamTerminal(context, terminal ?? throw new ContainerStartException(InitSpec.ChildContract.ExitSetupFailed, "berth-init did not send the container's terminal"));
        else
            terminal?.Dispose();
        return Task.CompletedTask;
    }

    private void StreamTerminal(StartContext context, Microsoft.Win32.SafeHandles.SafeFileHandle master)
    {
        var container = context.Container;
        container.Terminal = master;
        context.Stdin = new ContainerStdin(master, isTerminal: true);
        container.BindRun(context.Output!, context.Stdin, work);
        context.Output!.AddStream(LogStream.Stdout, master);
    }

    public async Task ReleaseAsync(StartContext context)
    {
        if (context.Process is not { } process)
            return;
        try
        {
            if (!process.Exited.IsCompleted)
            {
                process.Signal(Signals.SIGKILL);
                await process.Exited.WaitAsync(ReapTimeout);
            }
        }
        catch (Exception e) when (e is TimeoutException or SyscallException)
        {
            logger.LogWarning("Process {Pid} of {Container} was not reaped: {Error}", process.Pid, context.Container.Id[..12], e.Message);
        }
        finally
        {
            process.Dispose();
        }
    }
}
