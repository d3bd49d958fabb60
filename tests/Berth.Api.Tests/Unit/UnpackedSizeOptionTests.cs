using Berth.Daemon;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

public sealed class UnpackedSizeOptionTests
{
    [TestCase("1", 1L)]
    [TestCase("100b", 100L)]
    [TestCase("20g", 20L << 30)]
    [TestCase("512MiB", 512L << 20)]
    [TestCase("3kb", 3L << 10)]
    [TestCase("2T", 2L << 40)]
    public void ASizeIsBytesWithABinaryUnit(string text, long bytes)
    {
        Assert.That(UnpackedSizeOption.TryParse(text, out long parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(bytes));
    }

    [TestCase("")]
    [TestCase("0")]
    [TestCase("-1g")]
    [TestCase("1.5g")]
    [TestCase("20 g")]
    [TestCase("20x")]
    [TestCase("ib")]
    [TestCase("99999999999999999999")]
    [TestCase("9000000000t")]
    public void AnythingElseIsRefused(string text) => Assert.That(UnpackedSizeOption.TryParse(text, out _), Is.False);
}
