using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Archive;

/// <summary>
/// A file's content cut or padded with zeros to the size its tar header announced: a file of a running
/// container may grow or shrink while it is archived, and the tar must stay well-formed. Seekable, so that
/// TarWriter takes <see cref="Length"/> as the entry's size.
/// </summary>
internal sealed class ExactLengthStream(SafeFileHandle file, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
            return 0;
        int n = RandomAccess.Read(file, buffer[..wanted], _position);
        if (n == 0)
        {
            // The file shrank: zeros up to the announced size.
            buffer[..wanted].Clear();
            n = wanted;
        }
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
