namespace Berth.Engine.Images;

/// <summary>
/// Passes reads through until <c>limit</c> bytes, then fails if the source has more: a registry that sends a
/// longer blob than its manifest promises is cut off there instead of filling the disk.
/// </summary>
internal sealed class BoundedReadStream(Stream source, long limit, string what) : Stream
{
    private long _read;

    public override int Read(Span<byte> buffer)
    {
        long left = limit - _read;
        if (left <= 0)
        {
            Span<byte> probe = stackalloc byte[1];
            if (source.Read(probe) > 0)
                throw new ImageFormatException($"{what} is longer than the {limit} bytes its manifest promises");
            return 0;
        }
        int n = source.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
        _read += n;
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
