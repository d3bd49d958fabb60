using System.Threading.Channels;
using Berth.Engine.Logs;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// The output side of one attached client. The engine calls <see cref="Write"/> on its I/O thread, which must
/// never wait for a client: each chunk is copied (as a stdcopy frame when multiplexed) into an unbounded queue
/// that a pump drains to the socket, and a client that falls more than <see cref="MaxBacklog"/> bytes behind
/// is dropped (its queue is completed; the container goes on).
/// </summary>
public sealed class AttachSink(bool stdout, bool stderr, bool multiplexed) : IOutputSink
{
    public const long MaxBacklog = 4 * 1024 * 1024;

    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _overflow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _backlog;

    public ChannelReader<byte[]> Reader => _queue.Reader;

    /// <summary>Completes when the client fell too far behind: it is to be cut off.</summary>
    public Task Overflow => _overflow.Task;

    public bool Overflowed => _overflow.Task.IsCompleted;

    public void Write(LogStream stream, ReadOnlySpan<byte> data)
    {
        if ((stream == LogStream.Stdout && !stdout) || (stream == LogStream.Stderr && !stderr) || data.IsEmpty)
            return;
        byte[] chunk = Frame(stream, data, multiplexed);
        if (Interlocked.Add(ref _backlog, chunk.Length) > MaxBacklog)
        {
            _queue.Writer.TryComplete();
            _overflow.TrySetResult();
            return;
        }
        _queue.Writer.TryWrite(chunk);
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>The pump wrote <paramref name="bytes"/> to the client.</summary>
    public void Sent(int bytes) => Interlocked.Add(ref _backlog, -bytes);

    /// <summary>Writes the queued output to <paramref name="output"/>, in batches of up to 64 KiB, until the queue is completed.</summary>
    public async Task PumpToAsync(Stream output, CancellationToken ct)
    {
        var batch = new MemoryStream();
        while (await Reader.WaitToReadAsync(ct))
        {
            batch.SetLength(0);
            while (batch.Length < 64 * 1024 && Reader.TryRead(out var chunk))
                batch.Write(chunk);
            await output.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), ct);
            Sent((int)batch.Length);
        }
    }

    public static byte[] Frame(LogStream stream, ReadOnlySpan<byte> data, bool multiplexed)
    {
        if (!multiplexed)
            return data.ToArray();
        byte[] frame = new byte[StdCopy.HeaderSize + data.Length];
        StdCopy.WriteHeader(frame, (StdStream)(byte)stream, data.Length);
        data.CopyTo(frame.AsSpan(StdCopy.HeaderSize));
        return frame;
    }
}
