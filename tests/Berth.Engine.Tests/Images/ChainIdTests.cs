using Berth.Engine.Images;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

public sealed class ChainIdTests
{
    private static readonly string A = "sha256:" + new string('a', 64);
    private static readonly string B = "sha256:" + new string('b', 64);
    private static readonly string C = "sha256:" + new string('c', 64);

    [Test]
    public void KnownValues()
    {
        // Computed independently: printf 'sha256:aaa… sha256:bbb…' | sha256sum, and so on.
        var chain = ChainId.Compute([A, B, C]);
        Assert.That(chain[0], Is.EqualTo(A), "ChainID(L0) = DiffID(L0)");
        Assert.That(chain[1], Is.EqualTo("sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c"));
        Assert.That(chain[2], Is.EqualTo("sha256:c1377126441fb2f5ec2c21ae2a60255331d639e830f0ee1b40a36e52d4c40588"));
    }

    [Test]
    public void PrefixesShareChainIds()
    {
        Assert.That(ChainId.Compute([A, B]), Is.EqualTo(ChainId.Compute([A, B, C]).Take(2)));
        Assert.That(ChainId.Compute([B, A])[1], Is.Not.EqualTo(ChainId.Compute([A, B])[1]), "order matters");
        Assert.That(ChainId.Compute([]), Is.Empty);
    }
}
