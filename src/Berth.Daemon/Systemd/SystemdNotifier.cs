using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Systemd;

/// <summary>
/// sd_notify by hand: one datagram of "KEY=value" lines to the AF_UNIX socket in NOTIFY_SOCKET (a path, or an abstract
/// name when it starts with '@'). Without NOTIFY_SOCKET (not run by systemd with Type=notify) every call does nothing.
/// The variable is removed once read so that no child notifies in berthd's name.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;
    private readonly ILogger _logger;

    public SystemdNotifier(string? notifySocket, ILogger logger)
    {
        _logger = logger;
        if (string.IsNullOrEmpty(notifySocket) || notifySocket[0] is not ('/' or '@'))
            return;
        // .NET spells an abstract name with a leading NUL, systemd with '@'.
        _target = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SystemdNotifier FromEnvironment(ILogger logger)
    {
        string? path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
        return new SystemdNotifier(path, logger);
    }

    public bool Enabled => _socket is not null;

    /// <summary>Sends <paramref name="state"/> ("READY=1\nSTATUS=..."); a failure is logged, never thrown (systemd may be gone).</summary>
    public void Notify(string state)
    {
        if (_socket is null)
            return;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _target!);
        }
        catch (SocketException e)
        {
            _logger.LogWarning("sd_notify {State}: {Error}", state.Replace('\n', ' '), e.Message);
        }
    }

    /// <summary>RELOADING=1 wants MONOTONIC_USEC (systemd 253+) so systemd can tell this reload from an older one.</summary>
    public static string Reloading() =>
        $"RELOADING=1\nMONOTONIC_USEC={(long)(System.Diagnostics.Stopwatch.GetTimestamp() / (System.Diagnostics.Stopwatch.Frequency / 1_000_000.0))}";

    public void Dispose() => _socket?.Dispose();
}
