namespace Berth.Http;

/// <summary>The write-only stream behind <see cref="HttpResponse.Body"/>: every write is sent and flushed at once.</summary>
internal sealed class ResponseBodyStream : Stream
{
    private readonly HttpResponse _response;

    public ResponseBodyStream(HttpResponse response)
    {
        _response = response;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(_response.WriteBodyAsync(buffer, cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _response.WriteBodyAsync(buffer.AsMemory(offset, count), cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) =>
        _response.WriteBodyAsync(buffer.AsMemory(offset, count), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Sends the head if it has not gone out yet, then flushes.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => _response.StartAsync(cancellationToken);

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
