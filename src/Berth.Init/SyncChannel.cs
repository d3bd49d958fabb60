using Berth.Interop;
using Berth.InitSpec;
using static Tmds.Linux.LibC;

namespace Berth.Init;

/// <summary>berth-init's end of the handshake with berthd (fd 3; the exchange is drawn in <see cref="SyncMessage"/>).</summary>
public static unsafe class SyncChannel
{
    public static void Send(SyncMessage message, int fd = -1)
    {
        Span<byte> buffer = stackalloc byte[SyncMessage.MaxSize];
        int length = message.Encode(buffer);
        Sys.SendMessage(ChildContract.SyncFd, buffer[..length], fd);
    }

    /// <summary>Blocks until berthd's Continue. berthd's start timeout bounds the wait; if berthd goes away, so do we.</summary>
    public static void WaitContinue()
    {
        using var socket = new Microsoft.Win32.SafeHandles.SafeFileHandle(ChildContract.SyncFd, ownsHandle: false);
        Span<byte> buffer = stackalloc byte[SyncMessage.MaxSize];
        int length = Sys.ReceiveMessage(socket, buffer, timeoutMs: -1, out var fd);
        fd?.Dispose();
        if (length == 0)
            throw new InitException(ChildContract.ExitSetupFailed, "berthd closed the sync socket before Continue");
        var message = SyncMessage.Decode(buffer[..length]);
        if (message.Type != SyncMessageType.Continue)
            throw new InitException(ChildContract.ExitSetupFailed, $"expected Continue from berthd, got {message}");
    }

    /// <summary>Reports a failure; best effort, as berthd learns of a silent exit through end of stream.</summary>
    public static void TrySendError(int exitCode, string text)
    {
        try
        {
            Send(SyncMessage.Error(exitCode, text));
        }
        catch (SyscallException)
        {
        }
    }

    /// <summary>Marks the socket close-on-exec, so berthd reads end of stream once the command runs.</summary>
    public static void CloseOnExec()
    {
        if (fcntl(ChildContract.SyncFd, F_SETFD, FD_CLOEXEC) == -1)
            throw SyscallException.FromLastError("fcntl FD_CLOEXEC on the sync socket");
    }
}
