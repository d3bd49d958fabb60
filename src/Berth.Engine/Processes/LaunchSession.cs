using System.Diagnostics;
using Berth.Interop;
using Berth.InitSpec;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Processes;

/// <summary>
/// berthd's end of one start handshake (drawn in <see cref="SyncMessage"/>): the cloned process's
/// <see cref="Pid"/> and pidfd, <see cref="WaitReady"/> before the steps that run between clone and exec,
/// <see cref="Continue"/> after them, and <see cref="WaitExec"/> until the command runs. Each wait is bounded by
/// the launcher's timeout; on any failure the child is killed and reaped and a <see cref="ContainerStartException"/>
/// carries its exit code and message. Dispose kills a child that never reached exec.
/// </summary>
public sealed class LaunchSession : IDisposable
{
    private readonly SafeFileHandle _socket;
    private readonly int _timeoutMs;
    private readonly string _what;
    private readonly long _spawned;
    private int _launcherPid;
    private bool _execed;

    /// <param name="launcherPid">berth-launcher, which exits right after Pid: reaped once the command runs, off the start's path; 0 when already reaped</param>
    internal LaunchSession(SafeFileHandle socket, int pid, SafeFileHandle pidFd, int launcherPid, TimeSpan timeout, string what, long spawned)
    {
        _launcherPid = launcherPid;
        _socket = socket;
        Pid = pid;
        PidFd = pidFd;
        _timeoutMs = (int)timeout.TotalMilliseconds;
        _what = what;
        _spawned = spawned;
        LauncherTime = Stopwatch.GetElapsedTime(spawned);
    }

    public int Pid { get; }

    /// <summary>False when berth-keeper is the parent (live restore): berthd then signals it but cannot reap it.</summary>
    public bool IsChild { get; init; } = true;

    public SafeFileHandle PidFd { get; }

    /// <summary>From the launcher's spawn to its Pid.</summary>
    public TimeSpan LauncherTime { get; }

    /// <summary>From Pid to the command's exec (set by <see cref="WaitExec"/>).</summary>
    public TimeSpan InitTime { get; private set; }

    /// <summary>Waits for berth-init's Ready: its namespaces exist and it sets up the rootfs while berthd's steps run.</summary>
    public void WaitReady()
    {
        var (message, fd) = Receive("Ready");
        fd?.Dispose();
        if (message?.Type != SyncMessageType.Ready)
            throw Fail(message, "Ready");
    }

    /// <summary>Lets berth-init go on to exec the command.</summary>
    public void Continue()
    {
        Span<byte> buffer = stackalloc byte[SyncMessage.MaxSize];
        int length = new SyncMessage(SyncMessageType.Continue).Encode(buffer);
        try
        {
            Sys.SendMessage((int)_socket.DangerousGetHandle(), buffer[..length]);
        }
        catch (SyscallException)
        {
            // The child has gone; its Error (or its silence) is what WaitExec reports.
        }
    }

    /// <summary>Waits until the command runs (end of stream); returns the terminal's master when berth-init sent one.</summary>
    public SafeFileHandle? WaitExec()
    {
        SafeFileHandle? console = null;
        try
        {
            while (true)
            {
                var (message, fd) = Receive("the exec of the command");
                if (message is null)
                {
                    _execed = true;
                    InitTime = Stopwatch.GetElapsedTime(_spawned) - LauncherTime;
                    ReapLauncher();
                    return console;
                }
                if (message.Value.Type != SyncMessageType.Console || fd is null || console is not null)
                {
                    fd?.Dispose();
                    throw Fail(message, "the exec of the command");
                }
                console = fd;
            }
        }
        catch
        {
            console?.Dispose();
            throw;
        }
    }

    /// <summary>The running process, once <see cref="WaitExec"/> returned; the pidfd is then the caller's.</summary>
    public LaunchedProcess Process => _execed
        ? new LaunchedProcess(Pid, PidFd) { LauncherTime = LauncherTime, InitTime = InitTime }
        : throw new InvalidOperationException("the command has not been exec'd yet");

    /// <summary>Receives one message; null at end of stream. A timeout or a malformed message fails the start.</summary>
    private (SyncMessage? Message, SafeFileHandle? Fd) Receive(string expected)
    {
        Span<byte> buffer = stackalloc byte[SyncMessage.MaxSize];
        int length = Sys.ReceiveMessage(_socket, buffer, _timeoutMs, out var fd);
        if (length < 0)
            throw Kill(ChildContract.ExitSetupFailed, $"{_what} did not report {expected} within {_timeoutMs / 1000.0:0.#} s: killed");
        if (length == 0)
            return (null, fd);
        try
        {
            return (SyncMessage.Decode(buffer[..length]), fd);
        }
        catch (FormatException e)
        {
            fd?.Dispose();
            throw Kill(ChildContract.ExitSetupFailed, $"{_what}: {e.Message}");
        }
    }

    private ContainerStartException Fail(SyncMessage? message, string expected) => message switch
    {
        { Type: SyncMessageType.Error } error => Kill(error.Value, error.Text),
        null => Kill(ChildContract.ExitSetupFailed, $"{_what} exited before {expected}"),
        { } other => Kill(ChildContract.ExitSetupFailed, $"{_what} sent {other} where {expected} was expected"),
    };

    private ContainerStartException Kill(int exitCode, string message)
    {
        KillAndReap();
        return new ContainerStartException(exitCode, message);
    }

    private void ReapLauncher()
    {
        if (_launcherPid > 0)
            Sys.WaitPid(_launcherPid);
        _launcherPid = 0;
    }

    private void KillAndReap()
    {
        ReapLauncher();
        if (PidFd.IsClosed)
            return;
        Sys.PidfdSendSignal(PidFd, Containers.Signals.SIGKILL);
        if (IsChild)
            Sys.WaitPid(Pid);
        else
            Sys.WaitReadable(PidFd, _timeoutMs); // the keeper reaps it; gone once its pidfd is readable
        PidFd.Dispose();
    }

    public void Dispose()
    {
        if (!_execed)
            KillAndReap();
        _socket.Dispose();
    }
}
