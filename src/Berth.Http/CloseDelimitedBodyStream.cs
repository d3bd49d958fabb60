using System.Buffers;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>A response body without Content-Length or chunking: it ends when the server closes the connection.</summary>
internal sealed class CloseDelimitedBodyStream : BodyReadStream
{
    public CloseDelimitedBodyStream(PipeReader reader) : base(reader)
    {
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
                IsComplete = result.IsCompleted;
                if (IsComplete)
                    return 0;
                continue;
            }
            int count = (int)Math.Min(data.Length, buffer.Length);
            data.Slice(0, count).CopyTo(buffer.Span);
            Reader.AdvanceTo(data.GetPosition(count));
            return count;
        }
    }
}
