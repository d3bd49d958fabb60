using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Berth.Engine.Containers.Host;
using Berth.Engine.Io;
using Berth.Engine.Logs;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Berth.Engine.Security;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers;

/// <summary>
/// `docker exec`: a command started in a running container's namespaces and cgroup by berth-launcher's exec
/// mode, as the container's user (or the one asked for) with the container's capabilities and environment.
/// Its process is a child of the engine (reaped through its pidfd) and dies with the container's pid namespace.
/// Exec sessions live in memory, like Docker's, and go away with their container.
/// </summary>
public sealed class ExecManager
{
    private readonly ContainerManager _containers;
    private readonly ILifecycleHost _host;
    private readonly EpollLoop _loop;
    private readonly BackgroundWork _work;
    private readonly ConcurrentDictionary<string, ExecSession> _sessions = new();

    internal ExecManager(ContainerManager containers, ILifecycleHost host, EpollLoop loop, BackgroundWork work)
    {
        _containers = containers;
        _host = host;
        _loop = loop;
        _work = work;
        containers.Removed += container =>
        {
            foreach (var session in _sessions.Values.Where(s => s.Container == container))
                _sessions.TryRemove(session.Id, out _);
        };
    }

    public ExecSession Create(string containerIdOrName, ExecConfig config)
    {
        var container = _containers.Get(containerIdOrName);
        CheckRunning(container);
        if (config.Cmd.Count == 0)
            throw new InvalidParameterException("No exec command specified");
        var session = new ExecSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), container, config);
        _sessions[session.Id] = session;
        Publish(session, "exec_create: " + string.Join(' ', config.Cmd));
        return session;
    }

    /// <summary>Drops a session nobody will ask about (a healthcheck probe, as moby unregisters them).</summary>
    internal void Forget(ExecSession session) => _sessions.TryRemove(session.Id, out _);

    public ExecSession Get(string id) => _sessions.TryGetValue(id, out var session) ? session : throw new ExecNotFoundException(id);

    /// <summary>
    /// Starts the exec. <paramref name="sink"/> (null when detached) receives its output and is completed after
    /// the exit code is recorded. Input goes through <see cref="ExecSession.WriteStdinAsync"/>.
    /// </summary>
    public void Start(string id, IOutputSink? sink)
    {
        var session = Get(id);
        var container = session.Container;
        var runtime = CheckRunning(container);
        if (!session.TryMarkStarted())
            throw new ContainerConflictException($"Error: Exec command {id} is already running");

        var config = session.Config;
        var record = container.Record;
        string root = $"/proc/{runtime.Process.Pid}/root";
        var user = UserResolver.Resolve(root, string.IsNullOrEmpty(config.User) ? record.Config.User : config.User);
        var launch = ContainerSpecBuilder.BuildExec(record.Id, record.Config, record.HostConfig, config, user, runtime.Process.Pid, runtime.Cgroup.ProcsFiles);

        var output = new ContainerOutput(_loop, logPath: null);
        if (sink is not null)
            output.Subscribe(new ExecSession.CompletionAfterExit(sink, session.Exited));
        try
        {
            var (process, stdin, terminal) = config.Tty ? LaunchWithTerminal(root, launch, output, session.ConsoleSize) : LaunchWithPipes(config, launch, output);
            session.SetRunning(process, stdin, terminal);
            Publish(session, "exec_start: " + string.Join(' ', config.Cmd));
            _work.Run($"exit handling of exec {session.Id[..12]}", () => HandleExitAsync(session, process, output, stdin));
        }
        catch (ContainerStartException e)
        {
            // Like Docker: the exec "ran" and failed with 126/127; the stream carries nothing more.
            session.SetExited(e.ExitCode);
            output.Dispose();
            sink?.Complete();
            throw;
        }
    }

    private (IContainerProcess, ContainerStdin?, SafeFileHandle?) LaunchWithPipes(ExecConfig config, ExecLaunchSpec launch, ContainerOutput output)
    {
        SafeFileHandle stdinRead;
        ContainerStdin? stdin = null;
        if (config.AttachStdin)
        {
            var (read, write) = Sys.Pipe();
            stdinRead = read;
            stdin = new ContainerStdin(write, isTerminal: false);
        }
        else
        {
            stdinRead = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
        }
        using (stdinRead)
        {
            var (stdoutRead, stdoutWrite) = Sys.Pipe();
            var (stderrRead, stderrWrite) = Sys.Pipe();
            output.AddStream(LogStream.Stdout, stdoutRead);
            output.AddStream(LogStream.Stderr, stderrRead);
            using (stdoutWrite)
            using (stderrWrite)
                return (_host.LaunchExec(launch, [stdinRead, stdoutWrite, stderrWrite]), stdin, null);
        }
    }

    /// <summary>
    /// The terminal comes from the container's own devpts (through /proc/PID/root), so the command sees /dev/pts/N of
    /// the container. It has its size (ConsoleSize, or a resize that came before the start) before the command runs.
    /// </summary>
    private (IContainerProcess, ContainerStdin?, SafeFileHandle?) LaunchWithTerminal(string root, ExecLaunchSpec launch, ContainerOutput output, (ushort Rows, ushort Columns) size)
    {
        var (master, slave, _) = Sys.OpenPty(Path.Combine(root, "dev/ptmx"));
        IContainerProcess process;
        try
        {
            using (slave)
            {
                if (size.Rows > 0 && size.Columns > 0)
                    Sys.SetWindowSize(master, size.Rows, size.Columns);
                process = _host.LaunchExec(launch, [slave, slave, slave]);
            }
        }
        catch
        {
            master.Dispose(); // the command could not be started (126/127): no terminal to keep
            throw;
        }
        output.AddStream(LogStream.Stdout, master);
        return (process, new ContainerStdin(master, isTerminal: true), master);
    }

    private async Task HandleExitAsync(ExecSession session, IContainerProcess process, ContainerOutput output, ContainerStdin? stdin)
    {
        int exitCode = 255; // Docker's "unknown" when the status cannot be read
        try
        {
            exitCode = await process.Exited;
        }
        finally
        {
            // The session ends whatever happened, so that its inspect and a waiting client do not hang.
            process.Dispose();
            session.SetExited(exitCode);
            Publish(session, "exec_die", ("exitCode", exitCode.ToString(CultureInfo.InvariantCulture)));
        }
        try
        {
            // A background child of the command may hold the output open, as with Docker; it closes at the latest
            // when the container stops and its pid namespace dies.
            await output.Completion;
        }
        finally
        {
            stdin?.Dispose();
            output.Dispose();
        }
    }

    private static ContainerRuntime CheckRunning(Container container)
    {
        var runtime = container.Runtime ?? throw new ContainerConflictException($"Container {container.Id} is not running");
        if (container.State.Status == ContainerStatus.Paused)
            throw new ContainerConflictException($"Container {container.Id} is paused, unpause the container before exec");
        return runtime;
    }

    private void Publish(ExecSession session, string action, params (string Key, string Value)[] extra) =>
        _containers.Publish(session.Container, action, [("execID", session.Id), .. extra]);
}
