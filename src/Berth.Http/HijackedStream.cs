using System.Net.Sockets;

namespace Berth.Http;

/// <summary>
/// The client side of a hijacked connection (<see cref="UnixHttpClient.HijackAsync"/>): reads return the
/// server's output, starting with any bytes that arrived right behind the 101 head; writes go to the server.
/// <see cref="CloseWrite"/> half-closes (the server sees stdin EOF) while reading goes on until the server
/// closes. Disposing closes the socket.
/// </summary>
public sealed class HijackedStream : Stream
{
    private readonly Socket _socket;
    private readonly HijackedInputStream _input;
    private readonly NetworkStream _output;

    internal HijackedStream(Socket socket, System.IO.Pipelines.PipeReader reader, HttpHeaders responseHeaders)
    {
        _socket = socket;
        _input = new HijackedInputStream(reader);
        _output = new NetworkStream(socket, FileAccess.Write, ownsSocket: false);
        ResponseHeaders = responseHeaders;
    }

    /// <summary>Headers of the 101 response.</summary>
    public HttpHeaders ResponseHeaders { get; }

    /// <summary>Whether the stream is stdcopy-framed (Content-Type application/vnd.docker.multiplexed-stream).</summary>
    public bool IsMultiplexed =>
        string.Equals(ResponseHeaders.Get("Content-Type"), "application/vnd.docker.multiplexed-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>shutdown(SHUT_WR): the server reads EOF; reading goes on.</summary>
    public void CloseWrite() => _socket.Shutdown(SocketShutdown.Send);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _output.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _socket.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
