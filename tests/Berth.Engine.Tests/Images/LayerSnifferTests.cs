using System.Text;
using Berth.Engine.Images;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>Layer compression comes from magic bytes, never from media types.</summary>
public sealed class LayerSnifferTests
{
    private static readonly byte[] Tar = new TestTar().File("f", "x").Build();

    [Test]
    public void Formats()
    {
        Assert.That(LayerSniffer.Detect(TestTar.Gzip(Tar)), Is.EqualTo(LayerFormat.Gzip));
        Assert.That(LayerSniffer.Detect(TestTar.Zstd(Tar)), Is.EqualTo(LayerFormat.Zstd));
        Assert.That(LayerSniffer.Detect(Tar), Is.EqualTo(LayerFormat.Tar), "PAX/ustar magic");
        Assert.That(LayerSniffer.Detect(new TestTar(System.Formats.Tar.TarEntryFormat.Gnu).File("f", "x").Build()), Is.EqualTo(LayerFormat.Tar), "GNU magic");
        Assert.That(LayerSniffer.Detect(new TestTar(System.Formats.Tar.TarEntryFormat.V7).File("f", "x").Build()), Is.EqualTo(LayerFormat.Tar), "v7: no magic, valid checksum");
        Assert.That(LayerSniffer.Detect(new byte[1024]), Is.EqualTo(LayerFormat.Tar), "an empty tar");
    }

    [Test]
    public void NotLayers()
    {
        Assert.That(LayerSniffer.Detect("""{"schemaVersion":2}"""u8), Is.Null);
        Assert.That(LayerSniffer.Detect(Encoding.ASCII.GetBytes(new string('x', 600))), Is.Null);
        Assert.That(LayerSniffer.Detect("BZh91AY&SY"u8), Is.Null);
        Assert.That(LayerSniffer.Detect([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0]), Is.Null, "xz");
        Assert.That(LayerSniffer.Detect([]), Is.Null);
        byte[] damaged = (byte[])new TestTar(System.Formats.Tar.TarEntryFormat.V7).File("f", "x").Build().Clone();
        damaged[0] ^= 1;
        Assert.That(LayerSniffer.Detect(damaged), Is.Null, "a v7 header with a wrong checksum");
    }
}
