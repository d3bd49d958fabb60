using System.Collections.Concurrent;

namespace Berth.Network;

/// <summary>
/// A few empty network namespaces made before the requests that need them (issue 12's 1.5 ms budget, issue 18's
/// "work ahead of the request"). Making one on the start path cost an unshare (0.44 ms under load), a thread to do
/// it, and a second thread that joined it to bring lo up and configure the interface from inside; a start now takes
/// a ready one and a background thread makes its replacement. The refill thread unshares into each namespace it
/// makes and ends when the pool is full, so no thread that changed namespace serves anything else (rule 1). After
/// <see cref="IdleTimeout"/> without a start the pool empties itself: an idle daemon holds no namespace.
/// </summary>
public sealed class NetworkNamespacePool : IDisposable
{
    /// <summary>Enough for a compose project's burst; each empty namespace costs the kernel a loopback device and its tables.</summary>
    public const int DefaultSize = 4;

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(1);

    private readonly ConcurrentQueue<ReadyNamespace> _ready = new();
    private readonly int _size;
    private readonly Timer _idle;
    private readonly Action<Exception>? _onRefillError;
    private Thread? _refill;
    private int _filling;
    private volatile bool _disposed;

    public NetworkNamespacePool(int size = DefaultSize, Action<Exception>? onRefillError = null)
    {
        _size = size;
        _onRefillError = onRefillError;
        _idle = new Timer(_ => Drain());
    }

    /// <summary>How many are ready now (for tests and the bench).</summary>
    public int Count => _ready.Count;

    /// <summary>A ready namespace (made now if none is ready); the caller owns it. Starts a refill in the background.</summary>
    public ReadyNamespace Take()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ready = _ready.TryDequeue(out var pooled) ? pooled : ReadyNamespace.Create();
        _idle.Change(IdleTimeout, Timeout.InfiniteTimeSpan);
        Refill();
        return ready;
    }

    private void Refill()
    {
        if (_size <= 0 || Interlocked.Exchange(ref _filling, 1) == 1)
            return;
        _refill = new Thread(() =>
        {
            try
            {
                while (!_disposed && _ready.Count < _size)
                    _ready.Enqueue(ReadyNamespace.CreateOnThisThread());
            }
            catch (Exception e)
            {
                _onRefillError?.Invoke(e); // the next start makes its own
            }
            finally
            {
                Volatile.Write(ref _filling, 0);
            }
        }) { IsBackground = true, Name = "netns pool" };
        _refill.Start();
    }

    private void Drain()
    {
        while (_ready.TryDequeue(out var ready))
            ready.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        _idle.Dispose();
        _refill?.Join(); // it stops after the namespace it is making
        Drain();
    }
}
