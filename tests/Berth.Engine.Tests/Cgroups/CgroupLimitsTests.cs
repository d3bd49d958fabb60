using Berth.Engine.Cgroups;
using NUnit.Framework;

namespace Berth.Engine.Tests.Cgroups;

public sealed class CgroupLimitsTests
{
    [Test]
    public void QuotaAndDefaults()
    {
        Assert.That(new CgroupLimits(NanoCpus: 1_500_000_000).CpuQuotaMicroseconds, Is.EqualTo(150_000));
        Assert.That(new CgroupLimits(NanoCpus: 200_000_000).CpuQuotaMicroseconds, Is.EqualTo(20_000));
        Assert.That(new CgroupLimits().CpuQuotaMicroseconds, Is.Null);
        Assert.That(new CgroupLimits(MemoryBytes: 100).EffectiveMemorySwapBytes, Is.EqualTo(200));
        Assert.That(new CgroupLimits(MemoryBytes: 100, MemorySwapBytes: -1).EffectiveMemorySwapBytes, Is.EqualTo(-1));
        Assert.That(new CgroupLimits().EffectiveMemorySwapBytes, Is.Null);
    }

    private static IEnumerable<CgroupLimits> Invalid()
    {
        yield return new CgroupLimits(MemoryBytes: 1 << 20);
        yield return new CgroupLimits(MemorySwapBytes: 64 << 20);
        yield return new CgroupLimits(MemoryBytes: 64 << 20, MemorySwapBytes: 32 << 20);
        yield return new CgroupLimits(NanoCpus: -1);
        yield return new CgroupLimits(NanoCpus: 1_000_000);
        yield return new CgroupLimits(CpuShares: -5);
        yield return new CgroupLimits(CpusetCpus: "");
        yield return new CgroupLimits(CpusetCpus: "0;rm -rf");
    }

    [TestCaseSource(nameof(Invalid))]
    public void RejectsWhatDockerRejects(CgroupLimits limits) =>
        Assert.That(limits.Validate, Throws.TypeOf<InvalidParameterException>());

    [Test]
    public void AcceptsUsualValues() =>
        Assert.That(new CgroupLimits(64 << 20, -1, 10_000_000, 2, 0, "0-1,3").Validate, Throws.Nothing);

    [Test]
    public void DeviceRuleText()
    {
        Assert.That(new DeviceRule(true, 'c', 136, null, "rwm").ToString(), Is.EqualTo("c 136:* rwm"));
        Assert.That(DeviceRules.DockerDefaults[0], Is.EqualTo(new DeviceRule(false, 'a', null, null, "rwm")));
        Assert.That(DeviceRules.DockerDefaults.Where(r => !r.Allow).Select(r => r.ToString()), Is.EqualTo(new[] { "a *:* rwm", "c 10:229 rwm" }));
    }
}
