using System.Net.Sockets;
using System.Text;

namespace Berth.Http.Tests;

/// <summary>A bare socket to the server, for exact bytes on the wire.</summary>
public sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly MemoryStream _received = new();
    private int _consumed;

    private RawConnection(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    public static RawConnection Open(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return new RawConnection(socket);
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await Socket.SendAsync(bytes.AsMemory()).AsTask().WaitAsync(Timeout);

    public void ShutdownWrite() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Everything until the server closes its side.</summary>
    public async Task<string> ReadToEndAsync()
    {
        while (await ReceiveMoreAsync())
        {
        }
        return Take(_received.Length - _consumed);
    }

    /// <summary>One response: head plus a Content-Length or chunked body (chunk framing left in place).</summary>
    public async Task<string> ReadResponseAsync()
    {
        int headEnd = await WaitForAsync("\r\n\r\n", 0);
        string head = Peek(headEnd);
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        int end;
        if (lengthLine is not null)
        {
            int length = int.Parse(lengthLine["Content-Length:".Length..].Trim());
            while (_received.Length - _consumed < headEnd + length && await ReceiveMoreAsync())
            {
            }
            end = headEnd + length;
        }
        else if (head.Contains("Transfer-Encoding: chunked"))
            end = await WaitForAsync("\r\n0\r\n\r\n", headEnd - 2);
        else
            end = headEnd;
        return Take(end);
    }

    /// <summary>The response head only (through the blank line).</summary>
    public async Task<string> ReadHeadAsync() => Take(await WaitForAsync("\r\n\r\n", 0));

    /// <summary>Exactly <paramref name="count"/> more bytes.</summary>
    public async Task<string> ReadExactlyAsync(int count)
    {
        while (_received.Length - _consumed < count)
            if (!await ReceiveMoreAsync())
                throw new EndOfStreamException();
        return Take(count);
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Offset just past <paramref name="marker"/>, relative to the unconsumed bytes.</summary>
    private async Task<int> WaitForAsync(string marker, int from)
    {
        while (true)
        {
            string text = Peek((int)_received.Length - _consumed);
            int index = text.IndexOf(marker, Math.Max(0, from), StringComparison.Ordinal);
            if (index >= 0)
                return index + marker.Length;
            if (!await ReceiveMoreAsync())
                throw new EndOfStreamException($"connection ended before `{marker.Replace("\r\n", "\\r\\n")}`; got: {text}");
        }
    }

    private async Task<bool> ReceiveMoreAsync()
    {
        byte[] buffer = new byte[65536];
        int read = await Socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Timeout);
        _received.Write(buffer, 0, read);
        return read > 0;
    }

    private string Peek(int count) => Encoding.UTF8.GetString(_received.GetBuffer(), _consumed, count);

    private string Take(long count)
    {
        string text = Peek((int)count);
        _consumed += (int)count;
        return text;
    }
}
