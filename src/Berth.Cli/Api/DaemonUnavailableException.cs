namespace Berth.Cli.Api;

/// <summary>The daemon's socket could not be reached: "Cannot connect to the Berth daemon at ... Is berthd running?".</summary>
public sealed class DaemonUnavailableException : Exception
{
    public DaemonUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public static DaemonUnavailableException For(string address, Exception cause) => cause is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AccessDenied }
        ? new($"permission denied while trying to connect to the Berth daemon socket at {address}: connect: permission denied", cause)
        : new($"Cannot connect to the Berth daemon at {address}. Is berthd running?", cause);
}
