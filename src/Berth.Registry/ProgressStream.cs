namespace Berth.Registry;

/// <summary>Counts bytes read or written through it and reports the running total at most every <see cref="Step"/> bytes (and at the end).</summary>
internal sealed class ProgressStream(Stream inner, Action<long> report) : Stream
{
    /// <summary>dockerd's progress reader updates every 512 KiB too.</summary>
    private const long Step = 512 << 10;
    private long _total;
    private long _reported;

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        Count(n);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        int n = await inner.ReadAsync(buffer, ct);
        Count(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private void Count(int n)
    {
        _total += n;
        if (n == 0 ? _total != _reported : _total - _reported >= Step)
        {
            _reported = _total;
            report(_total);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
