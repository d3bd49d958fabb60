using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Host;
using Berth.Engine.Containers.Start;
using Berth.Engine.Images;
using Berth.Engine.Io;
using Berth.Engine.Logs;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers;

/// <summary>
/// Live restore: takes over a run that berth-keeper kept while no engine ran. The run gets the start context its steps
/// would have left (cgroup, output, terminal, process), so everything after it is the same as for a run this engine
/// started: the log drains the keeper's copies of the output pipes (what was written meanwhile waits in them), attach,
/// exec, stop, stats and wait act on it, and its end goes through <see cref="ContainerMonitor"/> (release, exit code,
/// restart policy, --rm). A run that ended while no engine ran is adopted already exited, with the keeper's status.
/// </summary>
internal sealed class ContainerAdoption(ImageStore images, ICgroupDriver cgroups, EpollLoop loop, LogConfig defaultLogConfig, BackgroundWork work,
    ContainerMonitor monitor, Restart.RestartSupervisor restarts, ILogger logger)
{
    /// <summary>Returns false (the fds closed, the process left to the recovery) when the run cannot be taken over.</summary>
    public bool Adopt(Container container, AdoptedRun run)
    {
        var image = images.Find(container.Record.ImageId);
        // An engine killed while it ended the run may have removed the cgroup already (the release comes before the
        // exit is saved): an exited run is adopted without it, and its end is handled again (each release is idempotent).
        var cgroup = cgroups.Open(container.Id);
        if (image is null || cgroup is null && !run.Process.Exited.IsCompleted)
        {
            logger.LogWarning("Cannot adopt {Container}: its {Missing} is gone", container.Id[..12], image is null ? "image" : "cgroup");
            foreach (var (_, fd) in run.Fds)
                fd.Dispose();
            run.Process.Dispose();
            return false;
        }
        var context = new StartContext(container, image) { Cgroup = cgroup, Process = run.Process };
        var output = new ContainerOutput(loop, container.LogPath, LogSettings.Parse(container.Record.HostConfig.LogConfig ?? defaultLogConfig));
        context.Output = output;
        SafeFileHandle? terminal = null;
        foreach (var (role, fd) in run.Fds)
        {
            switch (role)
            {
                case "stdout":
                    output.AddStream(LogStream.Stdout, fd);
                    context.OutputFds.Add((role, fd));
                    break;
                case "stderr":
                    output.AddStream(LogStream.Stderr, fd);
                    context.OutputFds.Add((role, fd));
                    break;
                case "tty" when terminal is null:
                    terminal = fd;
                    break;
                default:
                    fd.Dispose();
                    break;
            }
        }
        if (terminal is not null)
        {
            container.Terminal = terminal;
            context.Stdin = new ContainerStdin(terminal, isTerminal: true);
            container.BindRun(output, context.Stdin, work);
            output.AddStream(LogStream.Stdout, terminal);
        }
        else
        {
            container.BindRun(output, null, work);
        }
        var runtime = new ContainerRuntime(context);
        container.Runtime = runtime;
        restarts.Started(container, byUser: false);
        bool exited = run.Process.Exited.IsCompleted;
        logger.LogInformation("Adopted {Container} (pid {Pid}){Exited}", container.Id[..12], run.Process.Pid, exited ? ", which exited while no engine ran" : "");
        monitor.Watch(container, runtime);
        return true;
    }
}
