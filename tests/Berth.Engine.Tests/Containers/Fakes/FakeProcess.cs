using Berth.Engine.Containers.Host;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Tests.Containers.Fakes;

/// <summary>
/// A container process that exits when the test says (<see cref="Exit"/>) or when a signal it does not ignore
/// arrives (128+signal, as the kernel reports it). Signals are recorded in order.
/// </summary>
internal sealed class FakeProcess(int pid) : IContainerProcess
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Pid { get; } = pid;

    public SafeFileHandle? PidFd => null;

    public TimeSpan LauncherTime => TimeSpan.Zero;

    public TimeSpan InitTime => TimeSpan.Zero;

    public Task<int> Exited => _exited.Task;

    /// <summary>Signals the process handles without dying (a PID 1 ignores SIGTERM unless it installs a handler).</summary>
    public HashSet<int> Ignores { get; } = [];

    public List<int> Signals { get; } = [];

    public bool Disposed { get; private set; }

    public bool Signal(int signal)
    {
        if (_exited.Task.IsCompleted)
            return false;
        lock (Signals)
            Signals.Add(signal);
        if (signal != 0 && !Ignores.Contains(signal))
            _exited.TrySetResult(128 + signal);
        return true;
    }

    public void Exit(int code) => _exited.TrySetResult(code);

    public void Dispose() => Disposed = true;
}
