using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class StdCopyTests
{
    [Test]
    public async Task FrameHasTheEightByteHeader()
    {
        var output = new MemoryStream();
        await StdCopy.WriteFrameAsync(output, StdStream.Stderr, "hi\n"u8.ToArray());
        Assert.That(output.ToArray(), Is.EqualTo(new byte[] { 2, 0, 0, 0, 0, 0, 0, 3, (byte)'h', (byte)'i', (byte)'\n' }));
    }

    [Test]
    public async Task DemultiplexSplitsStdoutAndStderr()
    {
        var framed = new MemoryStream();
        await new StdCopyStream(framed, StdStream.Stdout).WriteAsync("out 1\n"u8.ToArray());
        await new StdCopyStream(framed, StdStream.Stderr).WriteAsync("err\n"u8.ToArray());
        await StdCopy.WriteFrameAsync(framed, StdStream.Stdout, new byte[100_000]);
        await StdCopy.WriteFrameAsync(framed, StdStream.Stdin, "in\n"u8.ToArray());
        framed.Position = 0;
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        long written = await StdCopy.DemultiplexAsync(framed, stdout, stderr);
        Assert.That(written, Is.EqualTo(6 + 4 + 100_000 + 3));
        Assert.That(Encoding.ASCII.GetString(stdout.ToArray(), 0, 6), Is.EqualTo("out 1\n"));
        Assert.That(stdout.Length, Is.EqualTo(6 + 100_000 + 3));
        Assert.That(Encoding.ASCII.GetString(stderr.ToArray()), Is.EqualTo("err\n"));
    }

    [Test]
    public async Task SystemErrorFrameFails()
    {
        var framed = new MemoryStream();
        await StdCopy.WriteFrameAsync(framed, StdStream.Systemerr, "exec failed"u8.ToArray());
        framed.Position = 0;
        var error = Assert.ThrowsAsync<IOException>(() => StdCopy.DemultiplexAsync(framed, Stream.Null, Stream.Null));
        Assert.That(error!.Message, Is.EqualTo("error from daemon in stream: exec failed"));
    }

    [Test]
    public void UnknownStreamAndTruncatedFrameFail()
    {
        var unknown = new MemoryStream(new byte[] { 7, 0, 0, 0, 0, 0, 0, 1, 0 });
        var error = Assert.ThrowsAsync<InvalidDataException>(() => StdCopy.DemultiplexAsync(unknown, Stream.Null, Stream.Null));
        Assert.That(error!.Message, Is.EqualTo("Unrecognized input header: 7"));
        var truncated = new MemoryStream(new byte[] { 1, 0, 0, 0, 0, 0, 0, 5, 1, 2 });
        Assert.ThrowsAsync<InvalidDataException>(() => StdCopy.DemultiplexAsync(truncated, Stream.Null, Stream.Null));
    }
}
