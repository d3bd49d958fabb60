using Berth.Engine.Io;
using Berth.Engine.Processes;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>A <see cref="LaunchSession"/> past Ready, as the start steps see it; once continued, its process is watched on the epoll loop.</summary>
internal sealed class PausedLaunch(LaunchSession session, EpollLoop loop) : IStartingProcess
{
    public int Pid => session.Pid;

    public (IContainerProcess Process, SafeFileHandle? Terminal) Continue()
    {
        session.Continue();
        var terminal = session.WaitExec();
        session.Dispose(); // the command runs: only the sync socket is left to close
        return (new PidfdProcess(session.Process, loop), terminal);
    }

    /// <summary>Kills and reaps a child that never exec'd; closes the sync socket either way.</summary>
    public void Dispose() => session.Dispose();
}
