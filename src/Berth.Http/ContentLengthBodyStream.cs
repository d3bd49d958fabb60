using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>A body of exactly Content-Length bytes.</summary>
internal sealed class ContentLengthBodyStream : BodyReadStream
{
    private readonly long _length;
    private long _remaining;

    public ContentLengthBodyStream(PipeReader reader, long length) : base(reader)
    {
        _length = length;
        _remaining = length;
        IsComplete = length == 0;
    }

    protected override async ValueTask<int> ReadBodyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Reader.ReadAsync(cancellationToken);
            var data = result.Buffer;
            if (data.IsEmpty)
            {
                Reader.AdvanceTo(data.End);
                if (result.IsCompleted)
                    throw new HttpProtocolException(400, $"request body cut short: {_length - _remaining} of its {_length} bytes (Content-Length) arrived before the client closed its side");
                continue;
            }
            int count = (int)Math.Min(Math.Min(data.Length, _remaining), buffer.Length);
            data.Slice(0, count).CopyTo(buffer.Span);
            Reader.AdvanceTo(data.GetPosition(count));
            _remaining -= count;
            IsComplete = _remaining == 0;
            return count;
        }
    }
}
