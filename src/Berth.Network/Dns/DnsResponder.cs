using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>
/// Berth's one embedded DNS server: a UDP socket on port 53 of each user-defined network's gateway address, in
/// the namespace of the bridges, so containers reach it with no NAT (the spike's design; aardvark-dns does the
/// same). A query for an A record of a name known on that network (container name, alias, link alias, short ID)
/// is answered here; a known name asked for another type gets an empty NOERROR, as Docker's resolver does; every
/// other query is relayed unchanged to the host's resolvers (loopback ones work: this socket is in the host's
/// namespace) and their reply is passed back. No process per network; one receive loop per socket.
/// </summary>
public sealed class DnsResponder : IAsyncDisposable
{
    private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(4);

    private readonly Func<string, IPAddress, string, IReadOnlyList<IPAddress>> _resolve;
    private readonly IReadOnlyList<IPEndPoint> _upstreams;
    private readonly Func<string, IPAddress, IReadOnlyList<IPEndPoint>?>? _upstreamsOf;
    private readonly ConcurrentDictionary<string, (Socket Socket, Task Loop)> _listeners = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="resolve">(network ID, asking container's address, name) to the addresses of that name for it.</param>
    /// <param name="upstreams">The host's resolvers (at most three are used, as Docker does).</param>
    /// <param name="upstreamsOf">(network ID, asking container's address) to its own `--dns` servers, or null for the host's.</param>
    public DnsResponder(Func<string, IPAddress, string, IReadOnlyList<IPAddress>> resolve, IReadOnlyList<IPEndPoint> upstreams,
        Func<string, IPAddress, IReadOnlyList<IPEndPoint>?>? upstreamsOf = null)
    {
        _resolve = resolve;
        _upstreams = [.. upstreams.Take(3)];
        _upstreamsOf = upstreamsOf;
    }

    /// <summary>Starts answering on <paramref name="address"/>:<paramref name="port"/> for network <paramref name="networkId"/>.</summary>
    public void Listen(string networkId, IPAddress address, NetworkHost host, int port = 53)
    {
        var socket = host.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                s.Bind(new IPEndPoint(address, port));
                return s;
            }
            catch
            {
                s.Dispose();
                throw;
            }
        });
        var loop = Task.Run(() => ServeAsync(networkId, socket, _stopping.Token));
        if (!_listeners.TryAdd(networkId, (socket, loop)))
        {
            socket.Dispose();
            throw new InvalidOperationException($"DNS already listening for network {networkId}");
        }
    }

    public async Task StopAsync(string networkId)
    {
        if (!_listeners.TryRemove(networkId, out var listener))
            return;
        listener.Socket.Dispose();
        await listener.Loop.ConfigureAwait(false);
    }

    private async Task ServeAsync(string networkId, Socket socket, CancellationToken cancellation)
    {
        var buffer = new byte[1500];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellation.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP errors of earlier replies surface here; the socket stays usable
            }
            byte[] query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            _ = AnswerAsync(networkId, socket, query, received.RemoteEndPoint, cancellation);
        }
    }

    private async Task AnswerAsync(string networkId, Socket socket, byte[] query, EndPoint client, CancellationToken cancellation)
    {
        try
        {
            if (!DnsMessage.TryReadQuestion(query, out var question) || !question.IsQuery)
                return; // not a standard query: dropped, as a malformed packet deserves no amplification
            byte[] reply;
            var asker = ((IPEndPoint)client).Address;
            var addresses = question.Class == DnsMessage.ClassIn ? _resolve(networkId, asker, question.Name) : [];
            if (addresses.Count > 0)
                reply = DnsMessage.Reply(query, question, DnsMessage.NoError, question.Type == DnsMessage.TypeA ? addresses : []);
            else
                reply = await ForwardAsync(query, _upstreamsOf?.Invoke(networkId, asker) is { Count: > 0 } own ? [.. own.Take(3)] : _upstreams, cancellation).ConfigureAwait(false)
                    ?? DnsMessage.Reply(query, question, DnsMessage.ServerFailure, []);
            await socket.SendToAsync(reply, SocketFlags.None, client, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client is gone or the responder stops: nothing to answer.
        }
    }

    private static async Task<byte[]?> ForwardAsync(byte[] query, IReadOnlyList<IPEndPoint> upstreams, CancellationToken cancellation)
    {
        foreach (var upstream in upstreams)
        {
            using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(UpstreamTimeout);
            try
            {
                await socket.ConnectAsync(upstream, timeout.Token).ConfigureAwait(false);
                await socket.SendAsync(query, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                var buffer = new byte[4096];
                int length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (length >= 2 && buffer[0] == query[0] && buffer[1] == query[1])
                    return buffer[..length];
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellation.IsCancellationRequested)
            {
                // Try the next upstream.
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        foreach (string networkId in _listeners.Keys.ToList())
            await StopAsync(networkId).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
