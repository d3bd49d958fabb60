using Berth.Daemon;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>The host CPU time of docker stats, from /proc/stat as moby's getSystemCPUUsage reads it.</summary>
public sealed class HostCpuTests
{
    [Test]
    public void SumsUserToSoftirqInNanosecondsAndCountsTheCpus()
    {
        const string Stat = "cpu  100 1 50 1000 5 2 3 7 0 0\ncpu0 50 1 25 500 3 1 2 4 0 0\ncpu1 50 0 25 500 2 1 1 3 0 0\nintr 12345\nctxt 999\n";
        var (system, cpus) = HostCpu.Parse(Stat);
        Assert.That(system, Is.EqualTo((100 + 1 + 50 + 1000 + 5 + 2 + 3) * 10_000_000L), "steal and guest are not counted; 100 ticks a second");
        Assert.That(cpus, Is.EqualTo(2));
    }

    [Test]
    public void ReadsThisHost()
    {
        var (system, cpus) = HostCpu.Read();
        Assert.That(system, Is.GreaterThan(0));
        Assert.That(cpus, Is.GreaterThan(0));
    }
}
