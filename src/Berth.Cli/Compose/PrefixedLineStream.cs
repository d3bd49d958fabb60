using System.Text;

namespace Berth.Cli.Compose;

/// <summary>
/// A write-only stream that prefixes each line with a service's coloured name, as compose's log printer does
/// (<c>web-1  | line</c>); lines of several containers interleave whole, under one shared lock.
/// </summary>
internal sealed class PrefixedLineStream(Stream output, string prefix, object gate) : Stream
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);
    private readonly MemoryStream _line = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int newline = buffer.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _line.Write(buffer);
                return;
            }
            _line.Write(buffer[..(newline + 1)]);
            buffer = buffer[(newline + 1)..];
            EmitLine();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes a last line that had no newline.</summary>
    public override void Flush()
    {
        if (_line.Length > 0)
        {
            _line.WriteByte((byte)'\n');
            EmitLine();
        }
    }

    private void EmitLine()
    {
        lock (gate)
        {
            output.Write(_prefix);
            output.Write(_line.GetBuffer(), 0, (int)_line.Length);
            output.Flush();
        }
        _line.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
