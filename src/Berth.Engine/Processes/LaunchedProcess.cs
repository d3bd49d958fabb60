using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Processes;

/// <summary>A container's first process: its host pid and a pidfd (berthd is its parent and reaps it through the pidfd).</summary>
public sealed record LaunchedProcess(int Pid, SafeFileHandle PidFd);
