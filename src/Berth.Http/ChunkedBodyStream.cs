using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;

namespace Berth.Http;

/// <summary>
/// A chunked body (RFC 9112 §7.1): <c>size-in-hex[;extensions] CRLF data CRLF</c> repeated, then
/// <c>0 CRLF</c>, optional trailer fields and a blank line. Extensions and trailers are checked and dropped.
/// A malformed chunk throws <see cref="HttpProtocolException"/> (400).
/// </summary>
internal sealed class ChunkedBodyStream : BodyReadStream
{
    private const int MaxChunkLine = 4096;
    private readonly HttpLimits _limits;
    private State _state = State.Size;
    private long _remaining;
    private int _trailerBytes;
    private int _trailerFields;

    public ChunkedBodyStream(PipeReader reader, HttpLimits limits) : base(reader)
    {
        _limits = limits;
    }

    private enum State { Size, Data, DataEnd, Trailer }

    protected override async ValueTask<int> ReadBodyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Reader.ReadAsync(cancellationToken);
            var reader = new SequenceReader<byte>(result.Buffer);
            int copied = Parse(ref reader, buffer.Span);
            if (copied > 0 || IsComplete)
            {
                Reader.AdvanceTo(reader.Position);
                return copied;
            }
            Reader.AdvanceTo(reader.Position, result.Buffer.End);
            if (result.IsCompleted)
                throw new HttpProtocolException(400, "request body cut short: the client closed its side in the middle of a chunked body");
        }
    }

    /// <summary>Consumes framing until some data is copied (returns its length), the body ends, or input runs out (returns 0).</summary>
    private int Parse(ref SequenceReader<byte> reader, Span<byte> destination)
    {
        while (true)
        {
            switch (_state)
            {
                case State.Size:
                    if (!HttpHeadReader.TryReadLine(ref reader, MaxChunkLine, 400, "chunk size line", out string sizeLine))
                        return 0;
                    _remaining = ParseChunkSize(sizeLine);
                    _state = _remaining == 0 ? State.Trailer : State.Data;
                    break;
                case State.Data:
                    if (reader.Remaining == 0)
                        return 0;
                    int count = (int)Math.Min(Math.Min(reader.Remaining, _remaining), destination.Length);
                    reader.UnreadSequence.Slice(0, count).CopyTo(destination);
                    reader.Advance(count);
                    _remaining -= count;
                    if (_remaining == 0)
                        _state = State.DataEnd;
                    return count;
                case State.DataEnd:
                    if (!HttpHeadReader.TryReadLine(ref reader, MaxChunkLine, 400, "chunk end", out string end))
                        return 0;
                    if (end.Length != 0)
                        throw new HttpProtocolException(400, "chunk data longer than its declared size");
                    _state = State.Size;
                    break;
                case State.Trailer:
                    if (!HttpHeadReader.TryReadLine(ref reader, _limits.MaxHeaderLine, 431, "trailer line", out string trailer))
                        return 0;
                    if (trailer.Length == 0)
                    {
                        IsComplete = true;
                        return 0;
                    }
                    CheckTrailer(trailer);
                    break;
            }
        }
    }

    private static long ParseChunkSize(string line)
    {
        int semicolon = line.IndexOf(';');
        string size = (semicolon < 0 ? line : line[..semicolon]).TrimEnd(' ', '\t');
        if (size.Length is 0 or > 15 || !size.All(char.IsAsciiHexDigit))
            throw new HttpProtocolException(400, $"malformed chunk size `{size}`");
        if (!HttpSyntax.IsFieldValue(line))
            throw new HttpProtocolException(400, "control character in chunk extension");
        return long.Parse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private void CheckTrailer(string line)
    {
        _trailerBytes += line.Length;
        _trailerFields++;
        if (_trailerBytes > _limits.MaxHead || _trailerFields > _limits.MaxHeaderCount)
            throw new HttpProtocolException(431, "chunked body trailer too large");
        int colon = line.IndexOf(':');
        if (colon <= 0 || !HttpSyntax.IsToken(line.AsSpan(0, colon)))
            throw new HttpProtocolException(400, "malformed trailer field");
    }
}
