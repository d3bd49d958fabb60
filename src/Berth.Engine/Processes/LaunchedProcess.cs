using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Processes;

/// <summary>
/// A container's first process: its host pid and a pidfd (berthd is its parent and reaps it through the pidfd),
/// with how long berth-launcher took to clone it and berth-init to set it up and exec the command.
/// </summary>
public sealed record LaunchedProcess(int Pid, SafeFileHandle PidFd)
{
    public TimeSpan LauncherTime { get; init; }

    public TimeSpan InitTime { get; init; }
}
