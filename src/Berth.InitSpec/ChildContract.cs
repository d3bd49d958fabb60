namespace Berth.InitSpec;

/// <summary>
/// What berthd, berth-launcher and berth-init agree on outside the messages: the fd numbers the launcher and
/// init find open, and the exit codes of a start that failed. The C side is native-interop/launcher/berth-sync.h;
/// SyncHeaderTests compares the two.
/// </summary>
public static class ChildContract
{
    /// <summary>The SOCK_SEQPACKET socket to berthd (<see cref="SyncMessage"/>).</summary>
    public const int SyncFd = 3;

    /// <summary>run: berth-init's spec, a memfd of JSON.</summary>
    public const int SpecFd = 4;

    /// <summary>exec: the seccomp filter, a memfd of struct sock_filter[], when there is one.</summary>
    public const int SeccompFd = 4;

    /// <summary>The command exists but cannot be executed (Docker's 126).</summary>
    public const int ExitNotExecutable = 126;

    /// <summary>The command was not found (Docker's 127).</summary>
    public const int ExitNotFound = 127;

    /// <summary>Anything else failed before the command ran (Docker's 128 for a failed start).</summary>
    public const int ExitSetupFailed = 128;
}
