using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class ChunkedBodyTests : ServerTestBase
{
    private void MapHasher()
    {
        Router.MapPost("/images/load", async c =>
        {
            using var sha = SHA256.Create();
            await using var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write);
            await c.Request.Body.CopyToAsync(hashing);
            await hashing.FlushFinalBlockAsync();
            await c.Response.SendAsync(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha.Hash!)), "text/plain");
        });
    }

    [Test]
    public async Task ChunksWithExtensionsAndTrailerAreReassembled()
    {
        MapHasher();
        StartServer();
        var connection = Connect();
        await connection.SendAsync("POST /v1.50/images/load?quiet=1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Type: application/x-tar\r\n\r\n"
            + "5\r\nhello\r\n1;name=value\r\n \r\nA ; ext=\"q\"\r\nchunked bo\r\n2\r\ndy\r\n0\r\nX-Checksum: abc\r\n\r\n");
        string response = await connection.ReadResponseAsync();
        Assert.That(response, Does.EndWith(Hex("hello chunked body")));
    }

    [Test]
    public async Task ChunkSplitAcrossManySmallWritesIsReassembled()
    {
        MapHasher();
        StartServer();
        var connection = Connect();
        string wire = "POST /images/load HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
        foreach (char c in wire)
            await connection.SendAsync(c.ToString());
        Assert.That(await connection.ReadResponseAsync(), Does.EndWith(Hex("abc0123456789abcdef")));
    }

    [Test]
    public async Task LargeChunkedUploadStreamsIntoTheHandler()
    {
        const int total = 50 * 1024 * 1024;
        var firstBytesSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/images/load", async c =>
        {
            using var sha = SHA256.Create();
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            int read;
            while ((read = await c.Request.Body.ReadAsync(buffer)) > 0)
            {
                sha.TransformBlock(buffer, 0, read, null, 0);
                received += read;
                firstBytesSeen.TrySetResult();
            }
            sha.TransformFinalBlock([], 0, 0);
            await c.Response.SendAsync(Encoding.ASCII.GetBytes($"{received} {Convert.ToHexStringLower(sha.Hash!)}"), "text/plain");
        });
        StartServer();
        var source = new GatedStream(total, gateAfter: 1024 * 1024, firstBytesSeen.Task);
        var request = new HttpClientRequest("POST", "/v1.50/images/load?quiet=1") { ContentStream = source };
        await using var response = await NewClient().SendAsync(request).WaitAsync(Timeout);
        Assert.That(await response.ReadAsStringAsync(), Is.EqualTo($"{total} {Convert.ToHexStringLower(source.Hash())}"));
    }

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    /// <summary>
    /// Produces <c>length</c> pseudo-random bytes but stops after <c>gateAfter</c> until <c>gate</c> completes:
    /// the upload can only finish if the handler saw the first bytes while the client was still sending.
    /// </summary>
    private sealed class GatedStream(long length, long gateAfter, Task gate) : Stream
    {
        private long _position;

        public byte[] Hash()
        {
            using var sha = SHA256.Create();
            var copy = new GatedStream(length, long.MaxValue, Task.CompletedTask);
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = copy.Read(buffer, 0, buffer.Length)) > 0)
                sha.TransformBlock(buffer, 0, read, null, 0);
            sha.TransformFinalBlock([], 0, 0);
            return sha.Hash!;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= gateAfter)
                await gate.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return Read(buffer.Span);
        }

        public override int Read(Span<byte> buffer)
        {
            int count = (int)Math.Min(buffer.Length, length - _position);
            for (int i = 0; i < count; i++)
                buffer[i] = (byte)((_position + i) * 31 % 251);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
