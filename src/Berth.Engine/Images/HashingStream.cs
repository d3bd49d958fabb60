using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Images;

/// <summary>
/// A read-only stream that sha256-hashes everything it reads from its source and, when given a sink,
/// copies those bytes to a file as well: one pass computes a blob's digest while storing it.
/// It reads ahead in large blocks so that small reads by a decompressor or tar reader stay cheap.
/// </summary>
internal sealed class HashingStream : Stream
{
    private const int BlockSize = 256 * 1024;
    private const long ReportEvery = 4L << 20;
    private readonly Stream _source;
    private readonly SafeFileHandle? _sink;
    private readonly Action<long>? _progress;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _block = new byte[BlockSize];
    private int _start;
    private int _end;
    private long _reported;

    public HashingStream(Stream source, SafeFileHandle? sink = null, Action<long>? progress = null)
    {
        _source = source;
        _sink = sink;
        _progress = progress;
    }

    /// <summary>Bytes read from the source so far (including read-ahead not yet returned).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads the source to its end and returns the digest of all of it.</summary>
    public string DrainAndGetDigest()
    {
        _start = _end;
        while (Fill())
            _start = _end;
        _progress?.Invoke(BytesRead);
        return Digest.FromHash(_hash.GetHashAndReset());
    }

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end && buffer.Length >= BlockSize)
            return ReadFromSource(buffer);
        if (_start == _end && !Fill())
            return 0;
        int n = Math.Min(buffer.Length, _end - _start);
        _block.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private bool Fill()
    {
        _start = 0;
        _end = ReadFromSource(_block);
        return _end > 0;
    }

    private int ReadFromSource(Span<byte> buffer)
    {
        int n = _source.Read(buffer);
        if (n == 0)
            return 0;
        _hash.AppendData(buffer[..n]);
        if (_sink is not null)
            RandomAccess.Write(_sink, buffer[..n], BytesRead);
        BytesRead += n;
        if (_progress is not null && BytesRead - _reported >= ReportEvery)
        {
            _reported = BytesRead;
            _progress(BytesRead);
        }
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _hash.Dispose();
        base.Dispose(disposing);
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
