using System.Net.Sockets;
using Berth.Interop;

namespace Berth.Http;

/// <summary>The filesystem side of a listening Unix socket: parent directory, stale file, mode and group.</summary>
internal static class SocketFile
{
    /// <summary>
    /// Creates the parent directory and removes a stale socket file: one nothing listens on any more.
    /// Refuses a live socket (another daemon) and anything that is not a socket.
    /// </summary>
    public static void PrepareForBind(string path)
    {
        string? parent = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(parent))
            Directory.CreateDirectory(parent);
        if (!Sys.IsSocketFile(path))
        {
            if (Path.Exists(path))
                throw new IOException($"cannot listen on `{path}`: it exists and is not a socket");
            return;
        }
        if (IsListening(path))
            throw new IOException($"cannot listen on `{path}`: another process is listening on it");
        File.Delete(path);
    }

    public static void SetOwnership(string path, UnixFileMode mode, int? groupId)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("Unix sockets need Linux");
        File.SetUnixFileMode(path, mode);
        if (groupId is int gid)
            Sys.Lchown(path, -1, gid);
    }

    private static bool IsListening(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }
}
