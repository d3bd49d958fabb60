namespace Berth.Http;

/// <summary>
/// A write-only stream that frames each write as one stdcopy frame of a fixed <see cref="StdStream"/>
/// on an underlying stream (for example the response body of logs, or a hijacked output).
/// Several of these may share one output if their writes are not concurrent.
/// </summary>
public sealed class StdCopyStream : Stream
{
    private readonly Stream _output;
    private readonly StdStream _stream;

    public StdCopyStream(Stream output, StdStream stream)
    {
        _output = output;
        _stream = stream;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length > 0)
            await StdCopy.WriteFrameAsync(_output, _stream, buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override void Flush() => _output.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
