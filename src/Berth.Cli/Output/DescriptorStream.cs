using Berth.Interop;

namespace Berth.Cli.Output;

/// <summary>
/// One of berth's standard streams as plain read(2) and write(2) on its descriptor (see <see cref="Sys.ReadDescriptor"/>):
/// no buffering, no line editing, the descriptor's own offset. Disposing does not close the descriptor.
/// </summary>
internal sealed class DescriptorStream : Stream
{
    private readonly int _fd;
    private readonly bool _read;

    public DescriptorStream(int fd, bool read)
    {
        _fd = fd;
        _read = read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) =>
        _read ? Sys.ReadDescriptor(_fd, buffer) : throw new NotSupportedException();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Blocks until the descriptor delivers (stdin is read on a thread of its own where that matters).</summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_read)
            throw new NotSupportedException();
        Sys.WriteDescriptor(_fd, buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => _read;
    public override bool CanSeek => false;
    public override bool CanWrite => !_read;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
