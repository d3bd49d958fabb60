using System.Buffers;
using Berth.Daemon.Api;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>moby/term's escape proxy as berthd applies it to a TTY attach: the keys are held back, a broken sequence goes out.</summary>
public sealed class DetachScannerTests
{
    private static (string Forwarded, bool Detached) Scan(DetachScanner scanner, string input)
    {
        var forward = new ArrayBufferWriter<byte>();
        bool detached = scanner.Scan(input.Select(c => (byte)c).ToArray(), forward);
        return (new string(forward.WrittenSpan.ToArray().Select(b => (char)b).ToArray()), detached);
    }

    [Test]
    public void TheSequenceDetachesAndWhatCameBeforeGoesOut()
    {
        var scanner = new DetachScanner([16, 17]);
        Assert.That(Scan(scanner, "ls\r\u0010\u0011after"), Is.EqualTo(("ls\r", true)));
    }

    [Test]
    public void ASequenceSplitAcrossReadsStillDetaches()
    {
        var scanner = new DetachScanner([16, 17]);
        Assert.That(Scan(scanner, "a\u0010"), Is.EqualTo(("a", false)), "the first key is held back");
        Assert.That(Scan(scanner, "\u0011"), Is.EqualTo(("", true)));
    }

    [Test]
    public void ABrokenSequenceIsForwardedInFull()
    {
        var scanner = new DetachScanner([16, 17]);
        Assert.That(Scan(scanner, "\u0010"), Is.EqualTo(("", false)));
        Assert.That(Scan(scanner, "x"), Is.EqualTo(("\u0010x", false)), "Ctrl-P then another key reaches the container");
        Assert.That(Scan(scanner, "\u0010\u0010\u0011"), Is.EqualTo(("\u0010", true)), "a repeated first key restarts the sequence");
    }

    [Test]
    public void NoKeysForwardEverything()
    {
        var scanner = new DetachScanner([]);
        Assert.That(Scan(scanner, "\u0010\u0011"), Is.EqualTo(("\u0010\u0011", false)));
    }
}
