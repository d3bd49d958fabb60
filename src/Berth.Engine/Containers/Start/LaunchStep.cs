using Berth.Engine.Containers.Host;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// Clones the container's first process with the spec, stdio and cgroup of the steps before, and leaves it paused
/// before the exec of its command (<see cref="StartContext.Child"/>, <see cref="StartContext.ChildPid"/>) for the
/// steps up to "exec". On release a child that never reached the exec is killed and reaped.
/// </summary>
internal sealed class LaunchStep(ILifecycleHost host) : IStartStep
{
    public string Name => "launch";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        var container = context.Container;
        var spec = context.Spec ?? throw new InvalidOperationException("the launch step needs the spec step before it");
        if (container.Record.Config.Tty)
        {
            spec.Terminal = true;
            (spec.ConsoleRows, spec.ConsoleColumns) = container.ConsoleSize;
        }
        try
        {
            // Live restore keeps a container whose network outlives berthd on its own: none, host, another container's.
            // A sandbox of berthd's (a bridge network) is wired by this engine and not adopted: such a run stays berthd's child.
            var keep = host.LiveRestore && context.NetworkSandbox is null ? new KeepRequest(container.Id, context.OutputFds) : null;
            context.Child = host.Launch(spec, context.ChildStdio, context.Cgroup!.ProcsFiles, keep);
        }
        finally
        {
            // The child holds them now: berthd must see the end of its output when it exits.
            context.CloseChildEnds();
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(StartContext context)
    {
        context.Child?.Dispose();
        return Task.CompletedTask;
    }
}
