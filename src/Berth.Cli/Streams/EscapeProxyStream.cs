namespace Berth.Cli.Streams;

/// <summary>
/// moby/term's escapeProxy: passes stdin through but holds back bytes that may begin the detach sequence; when the
/// whole sequence has been read, the bytes before it are returned and the next read throws
/// <see cref="DetachedException"/>. A partial sequence followed by another key is passed on in full.
/// </summary>
public sealed class EscapeProxyStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _keys;
    private byte[] _pending = [];
    private int _position;

    public EscapeProxyStream(Stream inner, byte[] keys)
    {
        _inner = inner;
        _keys = keys;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_keys.Length > 0 && _position == _keys.Length)
            throw new DetachedException();
        int n = 0;
        if (_pending.Length > 0)
        {
            n = Math.Min(_pending.Length, buffer.Length);
            _pending.AsSpan(0, n).CopyTo(buffer);
            _pending = _pending[n..];
        }
        n += _inner.Read(buffer[n..]);
        if (_keys.Length == 0)
            return n;
        for (int i = 0; i < n; i++)
        {
            if (buffer[i] == _keys[_position])
            {
                _position++;
                if (_position == _keys.Length)
                {
                    int before = Math.Max(i + 1 - _position, 0);
                    return before > 0 ? before : throw new DetachedException();
                }
                continue;
            }
            if (i < _position)
            {
                // A sequence begun in an earlier read is broken: the keys held back go out first.
                byte[] preserve = [.. _keys.AsSpan(0, _position), .. buffer[..n]];
                n = Math.Min(preserve.Length, buffer.Length);
                preserve.AsSpan(0, n).CopyTo(buffer);
                i += _position;
                _pending = [.. _pending, .. preserve.AsSpan(n)];
            }
            _position = 0;
        }
        return Math.Max(n - _position, 0);
    }

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
