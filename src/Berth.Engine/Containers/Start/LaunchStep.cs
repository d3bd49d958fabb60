using Berth.Engine.Containers.Host;
using Berth.Engine.Logs;
using Berth.Engine.Processes;
using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// Launches the container's first process with the spec, stdio and cgroup of the steps before; for a Tty container it
/// then receives the terminal. On release a process that still runs (a later step failed) is killed and reaped.
/// </summary>
internal sealed class LaunchStep(ILifecycleHost host, BackgroundWork work, ILogger logger) : IStartStep
{
    /// <summary>How long a killed process may take to be reaped (it may be in uninterruptible sleep).</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(30);

    public string Name => "launch";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        var container = context.Container;
        var spec = context.Spec ?? throw new InvalidOperationException("the launch step needs the spec step before it");
        bool terminal = container.Record.Config.Tty;
        if (terminal)
        {
            spec.Terminal = true;
            (spec.ConsoleRows, spec.ConsoleColumns) = container.ConsoleSize;
        }
        try
        {
            context.Process = host.Launch(spec, context.ChildStdio, context.Cgroup!.ProcsFiles, context.ConsoleSocketForChild);
        }
        finally
        {
            context.CloseChildEnds();
        }
        if (terminal)
            ReceiveTerminal(context);
        return Task.CompletedTask;
    }

    private void ReceiveTerminal(StartContext context)
    {
        var master = Sys.ReceiveFd(context.ConsoleSocket!)
            ?? throw new ContainerStartException(128, "berth-init did not send the container's terminal");
        context.ConsoleSocket!.Dispose();
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
