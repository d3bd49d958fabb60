using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>
/// A message body read lazily from the connection's <see cref="PipeReader"/>: nothing is buffered beyond
/// what the reader is asked for, so a 500 MB upload streams straight through. Subclasses know the framing.
/// </summary>
internal abstract class BodyReadStream : Stream
{
    protected BodyReadStream(PipeReader reader)
    {
        Reader = reader;
    }

    protected PipeReader Reader { get; }

    /// <summary>True once the whole body (and, for chunked, its trailer) has been read off the connection.</summary>
    public bool IsComplete { get; protected set; }

    /// <summary>True once a read failed (connection lost or malformed framing): the connection cannot be reused.</summary>
    public bool Failed => Failure is not null;

    /// <summary>
    /// Why the body could not be read: an <see cref="HttpProtocolException"/> when the client sent a bad or
    /// cut-short body (its fault: 400), another exception when the connection itself failed.
    /// </summary>
    public Exception? Failure { get; private set; }

    /// <summary>Runs once before the first read of a non-empty body (the server answers "Expect: 100-continue" here).</summary>
    public Func<CancellationToken, ValueTask>? BeforeFirstRead { get; set; }

    /// <summary>Runs once, when the body has been read to its end.</summary>
    public Action? Completed { get; set; }

    public sealed override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (IsComplete || buffer.Length == 0)
            return 0;
        if (BeforeFirstRead is { } before)
        {
            BeforeFirstRead = null;
            await before(cancellationToken);
        }
        int read;
        try
        {
            read = await ReadBodyAsync(buffer, cancellationToken);
        }
        catch (Exception e)
        {
            Failure ??= e;
            throw;
        }
        if (IsComplete && Completed is { } completed)
        {
            Completed = null;
            completed();
        }
        return read;
    }

    protected abstract ValueTask<int> ReadBodyAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// Reads and discards the rest of the body. False when it is longer than <paramref name="maxBytes"/>,
    /// malformed, or the connection failed: the connection cannot carry another message then.
    /// </summary>
    public async Task<bool> DrainAsync(long maxBytes, CancellationToken cancellationToken)
    {
        if (Failed)
            return false;
        byte[] scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long drained = 0;
            while (!IsComplete && drained <= maxBytes)
                drained += await ReadAsync(scratch, cancellationToken);
            return IsComplete;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
