using System.Net.Sockets;
using System.Text;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>A bare socket to berthd, for exact bytes on the wire (HEAD without body, /wait headers before the body).</summary>
public sealed class RawConnection : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private RawConnection(Socket socket)
    {
        _socket = socket;
    }

    public static RawConnection Open(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return new RawConnection(socket);
    }

    public async Task SendAsync(string text) => await _socket.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory()).AsTask().WaitAsync(Timeout);

    /// <summary>Reads until the received text contains <paramref name="marker"/>; returns everything received so far.</summary>
    public async Task<string> ReadUntilAsync(string marker)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Timeout);
        while (!Text.Contains(marker, StringComparison.Ordinal))
        {
            int n = await _socket.ReceiveAsync(buffer, cts.Token);
            if (n == 0)
                break;
            _received.AddRange(buffer.AsSpan(0, n));
        }
        return Text;
    }

    /// <summary>Whatever arrives within <paramref name="wait"/> (for checking that nothing does).</summary>
    public async Task<string> ReadForAsync(TimeSpan wait)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(wait);
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, cts.Token);
                if (n == 0)
                {
                    ReadEnded = true;
                    break;
                }
                _received.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            ReadEnded = true;
        }
        return Text;
    }

    /// <summary>Whether the server closed the connection (EOF or reset) during <see cref="ReadForAsync"/>.</summary>
    public bool ReadEnded { get; private set; }

    public string Text => Encoding.UTF8.GetString(_received.ToArray());

    public void Dispose() => _socket.Dispose();
}
