using Berth.Engine.Io;
using Berth.Engine.Processes;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>
/// A <see cref="LaunchSession"/> past Ready, as the start steps see it; once continued, its process is watched on the
/// epoll loop. Under live restore (<paramref name="keep"/>) the keeper is its parent: berthd hands the keeper copies of
/// its output fds (and the terminal) before it watches it, so the keeper knows it by the time it can exit.
/// </summary>
internal sealed class PausedLaunch(LaunchSession session, EpollLoop loop, KeeperClient? keeper = null, KeepRequest? keep = null) : IStartingProcess
{
    public int Pid => session.Pid;

    public (IContainerProcess Process, SafeFileHandle? Terminal) Continue()
    {
        session.Continue();
        var terminal = session.WaitExec();
        session.Dispose(); // the command runs: only the sync socket is left to close
        var process = session.Process;
        if (keeper is null || keep is null)
            return (new PidfdProcess(process, loop), terminal);
        try
        {
            var fds = terminal is null ? keep.Fds : [.. keep.Fds, ("tty", terminal)];
            keeper.Hold(keep.ContainerId, process.Pid, fds);
        }
        catch
        {
            Berth.Interop.Sys.PidfdSendSignal(process.PidFd, Signals.SIGKILL);
            process.PidFd.Dispose();
            terminal?.Dispose();
            throw;
        }
        var kept = new KeptProcess(process.Pid, process.PidFd, keep.ContainerId, keeper, loop)
        {
            LauncherTime = process.LauncherTime,
            InitTime = process.InitTime,
        };
        return (kept, terminal);
    }

    /// <summary>Kills and reaps a child that never exec'd; closes the sync socket either way.</summary>
    public void Dispose() => session.Dispose();
}
