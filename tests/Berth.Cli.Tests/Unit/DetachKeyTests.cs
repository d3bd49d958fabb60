using Berth.Api;
using System.Text;
using Berth.Cli.Streams;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>Detach keys as moby/term parses them, and its escape proxy: bytes pass until the whole sequence is typed.</summary>
public sealed class DetachKeyTests
{
    [Test]
    public void KeysParseAsMobyTermDoes()
    {
        Assert.That(DetachKeys.Parse("ctrl-p,ctrl-q"), Is.EqualTo(new byte[] { 16, 17 }));
        Assert.That(DetachKeys.Parse("ctrl-@,ctrl-a,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_"), Is.EqualTo(new byte[] { 0, 1, 27, 28, 29, 30, 31 }));
        Assert.That(DetachKeys.Parse("a,b,DEL"), Is.EqualTo(new byte[] { (byte)'a', (byte)'b', 127 }));
        Assert.That(() => DetachKeys.Parse(","), Throws.InstanceOf<FormatException>().With.Message.EqualTo("Unknown character: ''"), "a lone comma is two empty keys");
        Assert.That(() => DetachKeys.Parse("ctrl-1"), Throws.InstanceOf<FormatException>().With.Message.EqualTo("Unknown character: 'ctrl-1'"));
        Assert.That(() => DetachKeys.Parse("CTRL-P"), Throws.InstanceOf<FormatException>());
        Assert.That(DetachKeys.OrDefault("nonsense-key"), Is.EqualTo(DetachKeys.Default), "an invalid sequence falls back to Ctrl-P Ctrl-Q");
        Assert.That(DetachKeys.OrDefault(null), Is.EqualTo(DetachKeys.Default));
    }

    [Test]
    public void TheBytesBeforeTheSequencePassAndThenItDetaches()
    {
        var proxy = Proxy("ab\u0010\u0011cd");
        Assert.That(Read(proxy), Is.EqualTo("ab"));
        Assert.That(() => Read(proxy), Throws.InstanceOf<DetachedException>().With.Message.EqualTo("read escape sequence"));
    }

    [Test]
    public void ASequenceSplitAcrossReadsStillDetaches()
    {
        var proxy = Proxy("x\u0010", "\u0011");
        Assert.That(Read(proxy), Is.EqualTo("x"), "the Ctrl-P is held back");
        Assert.That(() => Read(proxy), Throws.InstanceOf<DetachedException>());
    }

    [Test]
    public void ABrokenSequenceIsPassedOnInFull()
    {
        var proxy = Proxy("\u0010", "z");
        Assert.That(Read(proxy), Is.EqualTo(""));
        Assert.That(Read(proxy), Is.EqualTo("\u0010z"));
        Assert.That(Read(Proxy("a\u0010b\u0011")), Is.EqualTo("a\u0010b\u0011"), "within one read");
    }

    [Test]
    public void ASequenceAtTheVeryStartDetachesAtOnce()
    {
        Assert.That(() => Read(Proxy("\u0010\u0011")), Throws.InstanceOf<DetachedException>());
    }

    private static EscapeProxyStream Proxy(params string[] reads) => new(new ChunkStream(reads), DetachKeys.Default);

    private static string Read(Stream stream)
    {
        byte[] buffer = new byte[64];
        int n = stream.Read(buffer, 0, buffer.Length);
        return Encoding.Latin1.GetString(buffer, 0, n);
    }

    /// <summary>A stream whose reads return the given chunks one by one, as a terminal delivers keys.</summary>
    private sealed class ChunkStream(string[] chunks) : Stream
    {
        private int _next;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_next >= chunks.Length)
                return 0;
            byte[] chunk = Encoding.Latin1.GetBytes(chunks[_next++]);
            chunk.CopyTo(buffer, offset);
            return chunk.Length;
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
}
