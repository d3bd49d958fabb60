using Berth.Engine.Logs;

namespace Berth.Engine.Containers;

/// <summary>
/// A client attached to one run of a container (`docker attach`, `docker run` without -d): it receives that
/// run's output through its sink and may write to the container's stdin. Attached before the start, it
/// joins the next run, and stdin bytes and end-of-file it sends before then are buffered and delivered
/// once the process runs (docker-api-notes §2). Detaching never stops the container.
/// </summary>
public sealed class ContainerAttachment : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<byte[]> _pendingStdin = [];
    private readonly Container _container;
    private readonly Action<ContainerAttachment> _detach;
    private ContainerStdin? _stdin;
    private bool _stdinEnded;
    private bool _started;
    private ContainerOutput? _output;

    internal ContainerAttachment(Container container, IOutputSink sink, bool stdin, Action<ContainerAttachment> detach)
    {
        _container = container;
        Sink = sink;
        WantsStdin = stdin;
        _detach = detach;
    }

    internal IOutputSink Sink { get; }

    public bool WantsStdin { get; }

    /// <summary>Called by the engine when the run this attachment belongs to has its output and stdin.</summary>
    internal Task BindAsync(ContainerOutput output, ContainerStdin? stdin)
    {
        List<byte[]> pending;
        bool ended;
        lock (_gate)
        {
            _output = output;
            _stdin = WantsStdin ? stdin : null;
            _started = true;
            pending = [.. _pendingStdin];
            _pendingStdin.Clear();
            ended = _stdinEnded;
        }
        output.Subscribe(Sink);
        return DeliverPendingAsync(pending, ended);
    }

    private async Task DeliverPendingAsync(List<byte[]> pending, bool ended)
    {
        foreach (byte[] chunk in pending)
            if (_stdin is not null)
                await _stdin.WriteAsync(chunk, CancellationToken.None);
        if (ended)
            EndStdinOfRun();
    }

    public async ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (!WantsStdin || data.IsEmpty)
            return;
        ContainerStdin? stdin;
        lock (_gate)
        {
            if (!_started)
            {
                _pendingStdin.Add(data.ToArray());
                return;
            }
            stdin = _stdin;
        }
        if (stdin is not null)
            await stdin.WriteAsync(data, ct);
    }

    /// <summary>
    /// The client's stdin ended. With StdinOnce and no TTY the container's stdin is closed (after the start if need
    /// be); with a TTY it stays open, as moby's CopyStreams keeps it ("cfg.CloseStdin &amp;&amp; !cfg.TTY"): a shell
    /// is ended by ^D typed into its terminal, never by a client going away.
    /// </summary>
    public void CloseStdin()
    {
        if (!WantsStdin)
            return;
        lock (_gate)
        {
            if (!_started)
            {
                _stdinEnded = true;
                return;
            }
        }
        EndStdinOfRun();
    }

    private void EndStdinOfRun()
    {
        if (_container.Record.Config.StdinOnce && !_container.Record.Config.Tty)
            _stdin?.Close();
    }

    public ValueTask DisposeAsync()
    {
        _detach(this);
        _output?.Unsubscribe(Sink);
        return ValueTask.CompletedTask;
    }
}
