using Berth.Engine.Io;
using Berth.Engine.Processes;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>
/// A child of berthd watched through its pidfd on the <see cref="EpollLoop"/>: the loop thread reaps it (waitid
/// P_PIDFD, WNOHANG: it does not block) the moment the pidfd turns readable, and only then is <see cref="Exited"/>
/// completed. The status is read exactly once, from the one process the pidfd names, so no later signal or pid reuse
/// can change it.
/// </summary>
internal sealed class PidfdProcess : IContainerProcess
{
    private readonly LaunchedProcess _process;
    private readonly EpollLoop _loop;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _registration;

    public PidfdProcess(LaunchedProcess process, EpollLoop loop)
    {
        _process = process;
        _loop = loop;
        _registration = loop.Add(process.PidFd, (_, _) => OnReadable());
    }

    public int Pid => _process.Pid;

    public SafeFileHandle? PidFd => _process.PidFd;

    public TimeSpan LauncherTime => _process.LauncherTime;

    public TimeSpan InitTime => _process.InitTime;

    public Task<int> Exited => _exited.Task;

    public bool Signal(int signal) => !_exited.Task.IsCompleted && Sys.PidfdSendSignal(_process.PidFd, signal);

    private void OnReadable()
    {
        try
        {
            if (!Sys.TryReapPidfd(_process.PidFd, out int status, out _))
                return; // not reapable yet: the level-triggered loop calls again
            _loop.Remove(_registration);
            _exited.TrySetResult(status);
        }
        catch (SyscallException e)
        {
            _loop.Remove(_registration);
            _exited.TrySetException(e);
        }
    }

    /// <summary>Stops watching and closes the pidfd. A process still running is not signalled: kill it first.</summary>
    public void Dispose()
    {
        _loop.Remove(_registration);
        _process.PidFd.Dispose();
    }
}
