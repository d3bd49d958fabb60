using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>
/// The read side of a hijacked connection, on both server and client: bytes the peer sends, starting
/// with any already buffered behind the HTTP head. A read returning 0 means the peer half-closed
/// (shut down its write side), not that the connection is gone.
/// </summary>
internal sealed class HijackedInputStream : Stream
{
    private readonly PipeReader _reader;
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ended;

    public HijackedInputStream(PipeReader reader)
    {
        _reader = reader;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
            return 0;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            await _gate.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        try
        {
            return await ReadLockedAsync(buffer, linked.Token);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends any pending read (it returns 0), then reads and discards input until the peer's EOF or
    /// <paramref name="cancellationToken"/>, so that the final close() finds no unread data.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _closing.Cancel();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            byte[] scratch = new byte[4096];
            while (await ReadLockedAsync(scratch, cancellationToken) > 0)
            {
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<int> ReadLockedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!_ended)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (data.IsEmpty)
            {
                _reader.AdvanceTo(data.End);
                _ended = result.IsCompleted;
                continue;
            }
            int count = (int)Math.Min(data.Length, buffer.Length);
            data.Slice(0, count).CopyTo(buffer.Span);
            _reader.AdvanceTo(data.GetPosition(count));
            return count;
        }
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

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
