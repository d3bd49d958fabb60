namespace Berth.Engine.Tests.Images;

/// <summary>A non-seekable stream over a byte array that returns uneven short reads, like a chunked HTTP body.</summary>
internal sealed class ChunkedStream(byte[] data) : Stream
{
    private static readonly int[] ChunkSizes = [1, 511, 4096, 100, 65536, 7, 32768];
    private int _position;
    private int _read;

    public override int Read(Span<byte> buffer)
    {
        int chunk = ChunkSizes[_read++ % ChunkSizes.Length];
        int n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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
