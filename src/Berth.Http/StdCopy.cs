using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Berth.Http;

/// <summary>
/// Docker's stdcopy framing for non-TTY attach, exec and logs (docker-api-notes §5): every frame is an
/// 8-byte header <c>[stream, 0, 0, 0, size as big-endian uint32]</c> followed by <c>size</c> payload bytes.
/// TTY streams are raw and not framed.
/// </summary>
public static class StdCopy
{
    public const int HeaderSize = 8;

    public static void WriteHeader(Span<byte> destination, StdStream stream, int payloadLength)
    {
        destination[0] = (byte)stream;
        destination[1] = destination[2] = destination[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)payloadLength);
    }

    /// <summary>Writes one frame with a single write, so that a frame is never split between two writers.</summary>
    public static async Task WriteFrameAsync(Stream output, StdStream stream, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        byte[] frame = ArrayPool<byte>.Shared.Rent(HeaderSize + payload.Length);
        try
        {
            WriteHeader(frame, stream, payload.Length);
            payload.Span.CopyTo(frame.AsSpan(HeaderSize));
            await output.WriteAsync(frame.AsMemory(0, HeaderSize + payload.Length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>
    /// Copies a framed stream to <paramref name="stdout"/> (stream 0 and 1) and <paramref name="stderr"/>
    /// (stream 2) until it ends, as moby's StdCopy does; returns the payload bytes written. Stream 3 throws
    /// <see cref="IOException"/> "error from daemon in stream: ..."; any other stream byte or a frame cut
    /// short throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task<long> DemultiplexAsync(Stream input, Stream stdout, Stream stderr, CancellationToken cancellationToken = default)
    {
        byte[] header = new byte[HeaderSize];
        byte[] payload = ArrayPool<byte>.Shared.Rent(32 * 1024);
        long written = 0;
        try
        {
            while (await ReadHeaderAsync(input, header, cancellationToken))
            {
                var stream = (StdStream)header[0];
                int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)));
                if (payload.Length < length)
                {
                    ArrayPool<byte>.Shared.Return(payload);
                    payload = ArrayPool<byte>.Shared.Rent(length);
                }
                await ReadPayloadAsync(input, payload.AsMemory(0, length), cancellationToken);
                var destination = stream switch
                {
                    StdStream.Stdin or StdStream.Stdout => stdout,
                    StdStream.Stderr => stderr,
                    StdStream.Systemerr => throw new IOException($"error from daemon in stream: {Encoding.UTF8.GetString(payload, 0, length)}"),
                    _ => throw new InvalidDataException($"Unrecognized input header: {header[0]}"),
                };
                await destination.WriteAsync(payload.AsMemory(0, length), cancellationToken);
                written += length;
            }
            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    /// <summary>False at a clean end of input (no byte of a new header).</summary>
    private static async Task<bool> ReadHeaderAsync(Stream input, byte[] header, CancellationToken cancellationToken)
    {
        int read = await input.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
            return false;
        if (read < HeaderSize)
            throw new InvalidDataException("stream ended inside a stdcopy frame header");
        return true;
    }

    private static async Task ReadPayloadAsync(Stream input, Memory<byte> payload, CancellationToken cancellationToken)
    {
        int read = await input.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, cancellationToken);
        if (read < payload.Length)
            throw new InvalidDataException("stream ended inside a stdcopy frame");
    }
}
