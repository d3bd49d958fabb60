using Berth.Engine.Io;
using Berth.Engine.Processes;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>
/// A container's first process whose parent is berth-keeper (live restore): berthd signals it through its pidfd and
/// learns of its end when the pidfd turns readable on the <see cref="EpollLoop"/> (a pidfd polls for any process, not
/// only a child); the exit status is the keeper's, which reaped it. The keeper lets go of it only at <see cref="Forget"/>,
/// once the exit is saved: an engine killed between the two finds the exit in the keeper, not a container it lost.
/// </summary>
internal sealed class KeptProcess : IContainerProcess
{
    private readonly SafeFileHandle _pidfd;
    private readonly string _containerId;
    private readonly KeeperClient _keeper;
    private readonly EpollLoop _loop;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _registration = -1;

    /// <param name="exitedWith">the exit code when the keeper reaped it already (it ended while no engine ran)</param>
    public KeptProcess(int pid, SafeFileHandle pidfd, string containerId, KeeperClient keeper, EpollLoop loop, int? exitedWith = null)
    {
        Pid = pid;
        _pidfd = pidfd;
        _containerId = containerId;
        _keeper = keeper;
        _loop = loop;
        if (exitedWith is { } code)
            _exited.TrySetResult(code);
        else
            _registration = loop.Add(pidfd, (_, _) => OnReadable());
    }

    public int Pid { get; }

    public SafeFileHandle? PidFd => _pidfd.IsInvalid ? null : _pidfd;

    public TimeSpan LauncherTime { get; init; }

    public TimeSpan InitTime { get; init; }

    public Task<int> Exited => _exited.Task;

    public bool Signal(int signal) => !_exited.Task.IsCompleted && Sys.PidfdSendSignal(_pidfd, signal);

    private void OnReadable()
    {
        try
        {
            switch (_keeper.Status(_containerId))
            {
                case { Running: true }:
                    return; // exited, not reaped by the keeper yet: the level-triggered loop calls again
                case { } status:
                    _loop.Remove(_registration);
                    _exited.TrySetResult(status.ExitCode);
                    return;
                default:
                    _loop.Remove(_registration);
                    _exited.TrySetException(new IOException($"berth-keeper does not know {_containerId[..12]}"));
                    return;
            }
        }
        catch (Exception e) when (e is IOException or SyscallException)
        {
            _loop.Remove(_registration);
            _exited.TrySetException(e);
        }
    }

    public void Dispose()
    {
        if (_registration >= 0)
            _loop.Remove(_registration);
        _pidfd.Dispose();
    }

    /// <summary>Tells the keeper to close its copies and forget the container: its exit is handled and saved.</summary>
    public void Forget()
    {
        try
        {
            _keeper.Drop(_containerId);
        }
        catch (Exception e) when (e is IOException or SyscallException)
        {
            // The keeper went away: it took its copies with it.
        }
    }
}
