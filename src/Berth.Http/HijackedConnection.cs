using System.IO.Pipelines;
using System.Net.Sockets;

namespace Berth.Http;

/// <summary>
/// A connection a handler took over after writing its own head (<see cref="HttpContext.HijackAsync"/>), as
/// Docker's attach and exec start do. The two directions are independent (docker-api-notes §4.3):
/// <see cref="Input"/> ending means only that the client half-closed (stdin EOF), and <see cref="Output"/>
/// keeps working after that. <see cref="CompleteAsync"/> ends the stream the clean way.
/// </summary>
public sealed class HijackedConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly HijackedInputStream _input;
    private readonly NetworkStream _output;
    private readonly TimeSpan _drainTimeout;
    private readonly Lock _lock = new();
    private Task? _completion;

    internal HijackedConnection(Socket socket, PipeReader reader, TimeSpan drainTimeout)
    {
        _socket = socket;
        _input = new HijackedInputStream(reader);
        _output = new NetworkStream(socket, FileAccess.Write, ownsSocket: false);
        _drainTimeout = drainTimeout;
    }

    /// <summary>What the client sends, starting with bytes that arrived behind the request. 0 from a read: the client half-closed.</summary>
    public Stream Input => _input;

    /// <summary>Writes go to the socket at once, also after the client half-closed.</summary>
    public Stream Output => _output;

    /// <summary>
    /// Ends the stream: shutdown(SHUT_WR) so the client reads EOF, then reads and drops input until the
    /// client's own EOF (at most the drain timeout), then closes. Closing an AF_UNIX socket with unread data
    /// would make the client's read fail with ECONNRESET instead of EOF (docker-api-notes §4.3 rule 5).
    /// A pending read on <see cref="Input"/> returns 0. Safe to call more than once.
    /// </summary>
    public Task CompleteAsync()
    {
        lock (_lock)
            return _completion ??= CompleteCoreAsync();
    }

    /// <summary>Closes the socket at once, without the clean shutdown.</summary>
    public void Abort() => _socket.Dispose();

    public ValueTask DisposeAsync() => new(CompleteAsync());

    private async Task CompleteCoreAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(_drainTimeout);
            await _input.DrainAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _socket.Dispose();
        }
    }
}
