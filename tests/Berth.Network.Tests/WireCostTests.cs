using System.Diagnostics;

namespace Berth.Network.Tests;

/// <summary>Prints (never asserts) what wiring costs once warm; the numbers go to the report and the README.</summary>
[TestFixture]
[NonParallelizable]
public sealed class WireCostTests
{
    [Test]
    public void PrintsTheWarmCostOfConnectAndWire()
    {
        using var fixture = new NetworkFixture();
        var connect = new List<double>();
        var wire = new List<double>();
        var wirePorts = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            var ns = fixture.Container();
            string id = $"cost{i:D12}";
            var timer = Stopwatch.StartNew();
            fixture.Manager.Connect("bridge", id, id, null, [], []);
            connect.Add(timer.Elapsed.TotalMilliseconds);
            timer.Restart();
            fixture.Manager.Wire("bridge", id, ns.Path, i % 2 == 0 ? [] : [new PortMapping("tcp", "", 20000 + i, 80)], defaultRoute: true);
            (i % 2 == 0 ? wire : wirePorts).Add(timer.Elapsed.TotalMilliseconds);
            Assert.That(ns.In("-4", "addr", "show", "dev", "eth0"), Does.Contain("inet 172.17."));
        }
        TestContext.Out.WriteLine($"connect (lease, persisted) ms: {string.Join(" ", connect.Select(v => v.ToString("F2")))}");
        TestContext.Out.WriteLine($"wire ms: {string.Join(" ", wire.Select(v => v.ToString("F2")))}");
        TestContext.Out.WriteLine($"wire with one published port ms: {string.Join(" ", wirePorts.Select(v => v.ToString("F2")))}");
    }
}
