using Berth.Engine.Logs;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers;

/// <summary>
/// One `docker exec`: created, then started once. Its exit code is recorded before its output stream is
/// completed, because the docker CLI asks for it (GET /exec/{id}/json) the moment the stream closes.
/// </summary>
public sealed class ExecSession
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ContainerStdin? _stdin;
    private SafeFileHandle? _terminal;
    private (ushort Rows, ushort Columns) _size;

    internal ExecSession(string id, Container container, ExecConfig config)
    {
        Id = id;
        Container = container;
        Config = config;
        if (config.ConsoleSize is [int rows, int columns] && rows > 0 && columns > 0)
            _size = ((ushort)rows, (ushort)columns);
    }

    public string Id { get; }

    public Container Container { get; }

    public ExecConfig Config { get; }

    public bool Started { get; private set; }

    public bool Running { get; private set; }

    /// <summary>Host pid of the exec'd process while it runs, else 0.</summary>
    public int Pid { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>Completes with the exit code once the process has exited and its exit code is recorded.</summary>
    public Task<int> Exited => _exited.Task;

    internal (ushort Rows, ushort Columns) ConsoleSize => _size;

    /// <summary>Marks the session started; false if it already was (an exec runs once).</summary>
    internal bool TryMarkStarted()
    {
        lock (_gate)
        {
            if (Started)
                return false;
            Started = true;
            return true;
        }
    }

    private Host.IContainerProcess? _process;

    /// <summary>SIGKILLs the process while it runs (a healthcheck probe past its timeout).</summary>
    internal void Kill()
    {
        lock (_gate)
            _process?.Signal(Signals.SIGKILL);
    }

    internal void SetRunning(Host.IContainerProcess process, ContainerStdin? stdin, SafeFileHandle? terminal)
    {
        lock (_gate)
        {
            _process = process;
            Pid = process.Pid;
            Running = true;
            _stdin = stdin;
            _terminal = terminal;
        }
        Resize(_size.Rows, _size.Columns);
    }

    internal void SetExited(int exitCode)
    {
        lock (_gate)
        {
            ExitCode = exitCode;
            Running = false;
            _process = null;
            Pid = 0;
            _terminal = null;
        }
        _exited.TrySetResult(exitCode);
    }

    public ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
        _stdin?.WriteAsync(data, ct) ?? ValueTask.CompletedTask;

    /// <summary>The client's input ended: the process's stdin is closed (or gets ^D on a terminal).</summary>
    public void CloseStdin() => _stdin?.Close();

    public void Resize(ushort rows, ushort columns)
    {
        SafeFileHandle? terminal;
        lock (_gate)
        {
            _size = (rows, columns);
            terminal = _terminal;
        }
        if (terminal is null || rows == 0 || columns == 0)
            return;
        try
        {
            Sys.SetWindowSize(terminal, rows, columns);
        }
        catch (Exception e) when (e is SyscallException or ObjectDisposedException)
        {
            // The exec is ending.
        }
    }

    /// <summary>Passes output through, and completes the client only once the exit code is recorded.</summary>
    internal sealed class CompletionAfterExit(IOutputSink inner, Task exited) : IOutputSink
    {
        public void Write(LogStream stream, ReadOnlySpan<byte> data) => inner.Write(stream, data);

        public void Complete() => exited.ContinueWith(_ => inner.Complete(), TaskScheduler.Default);
    }
}
