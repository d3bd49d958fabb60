using Berth.Daemon.Api;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>go-units HumanDuration, case by case (the boundaries of each branch).</summary>
public sealed class HumanDurationTests
{
    [TestCase(0.0, "Less than a second")]
    [TestCase(0.999, "Less than a second")]
    [TestCase(1.0, "1 second")]
    [TestCase(1.9, "1 second")]
    [TestCase(2.0, "2 seconds")]
    [TestCase(59.9, "59 seconds")]
    [TestCase(60.0, "About a minute")]
    [TestCase(119.0, "About a minute")]
    [TestCase(120.0, "2 minutes")]
    [TestCase(59 * 60.0, "59 minutes")]
    [TestCase(60 * 60.0, "About an hour")]
    [TestCase(89 * 60.0, "About an hour")]
    [TestCase(90 * 60.0, "2 hours")]
    [TestCase(47 * 3600.0, "47 hours")]
    [TestCase(48 * 3600.0, "2 days")]
    [TestCase(13 * 86400.0, "13 days")]
    [TestCase(14 * 86400.0, "2 weeks")]
    [TestCase(59 * 86400.0, "8 weeks")]
    [TestCase(60 * 86400.0, "2 months")]
    [TestCase(729 * 86400.0, "24 months")]
    [TestCase(730 * 86400.0, "2 years")]
    public void FormatsLikeGoUnits(double seconds, string expected) =>
        Assert.That(HumanDuration.Format(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));

    [Test]
    public void NegativeDurationsAreLessThanASecond() =>
        Assert.That(HumanDuration.Format(TimeSpan.FromSeconds(-5)), Is.EqualTo("Less than a second"));
}
