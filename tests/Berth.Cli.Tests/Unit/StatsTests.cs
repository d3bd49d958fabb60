using Berth.Cli.Api.Wire;
using Berth.Cli.Commands;
using Berth.Cli.Output;
using Berth.Cli.Stats;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>The stats numbers and cells against docker/cli's stats_helpers_test.go and formatter_stats_test.go.</summary>
public sealed class StatsTests
{
    [Test]
    public void MemoryIsUsageWithoutTheInactivePageCache()
    {
        Assert.That(StatsMath.MemoryUsageNoCache(new StatsMemory { Usage = 500, Stats = new() { ["total_inactive_file"] = 400 } }), Is.EqualTo(100.0));
        Assert.That(StatsMath.MemoryUsageNoCache(new StatsMemory { Usage = 500, Stats = new() { ["inactive_file"] = 100 } }), Is.EqualTo(400.0), "cgroup v2");
        Assert.That(StatsMath.MemoryUsageNoCache(new StatsMemory { Usage = 500, Stats = new() { ["total_inactive_file"] = 600, ["inactive_file"] = 50 } }),
            Is.EqualTo(450.0), "a v1 value above the usage falls back to inactive_file");
        Assert.That(StatsMath.MemoryUsageNoCache(new StatsMemory { Usage = 500, Stats = new() { ["inactive_file"] = 900 } }), Is.EqualTo(500.0));
        Assert.That(StatsMath.MemoryUsageNoCache(new StatsMemory { Usage = 500 }), Is.EqualTo(500.0));
    }

    [Test]
    public void MemoryPercentIsZeroWithoutALimit()
    {
        Assert.That(StatsMath.MemoryPercent(100.0, 70.0), Is.EqualTo(70.0).Within(1e-6));
        Assert.That(StatsMath.MemoryPercent(0.0, 70.0), Is.EqualTo(0.0));
    }

    [Test]
    public void BlockIoSumsReadsAndWritesWhateverTheirCase()
    {
        var (read, write) = StatsMath.BlockIo(new StatsBlkio
        {
            IoServiceBytesRecursive =
            [
                new() { Major = 8, Minor = 0, Op = "read", Value = 1234 }, new() { Major = 8, Minor = 1, Op = "read", Value = 4567 },
                new() { Major = 8, Minor = 0, Op = "Read", Value = 6 }, new() { Major = 8, Minor = 1, Op = "Read", Value = 8 },
                new() { Major = 8, Minor = 0, Op = "write", Value = 123 }, new() { Major = 8, Minor = 1, Op = "write", Value = 456 },
                new() { Major = 8, Minor = 0, Op = "Write", Value = 6 }, new() { Major = 8, Minor = 1, Op = "Write", Value = 8 },
                new() { Major = 8, Minor = 1, Op = "", Value = 456 },
            ],
        });
        Assert.That((read, write), Is.EqualTo((5815.0, 593.0)));
    }

    [Test]
    public void CpuPercentIsTheContainersShareOfTheSystemTimesTheOnlineCpus()
    {
        var current = new StatsCpu { CpuUsage = new StatsCpuUsage { TotalUsage = 2_000_000_000 }, SystemUsage = 100_000_000_000, OnlineCpus = 2 };
        Assert.That(StatsMath.CpuPercent(1_000_000_000, 90_000_000_000, current), Is.EqualTo(20.0).Within(1e-9));
        var perCpu = new StatsCpu { CpuUsage = new StatsCpuUsage { TotalUsage = 2_000_000_000, PercpuUsage = [1, 2, 3, 4] }, SystemUsage = 100_000_000_000 };
        Assert.That(StatsMath.CpuPercent(1_000_000_000, 90_000_000_000, perCpu), Is.EqualTo(40.0).Within(1e-9), "without online_cpus, the per-CPU list counts");
        Assert.That(StatsMath.CpuPercent(3_000_000_000, 90_000_000_000, current), Is.Zero, "a counter that went back is 0, not negative");
        Assert.That(StatsMath.CpuPercent(0, 0, null), Is.Zero);
    }

    [Test]
    public void CellsAreFormattedAsDockers()
    {
        var values = StatsValues.Empty with
        {
            Name = "/web", Id = "4b1d7b2a9c3e5f60718293a4b5c6d7e8", CpuPercentage = 5.5, Memory = 24, MemoryLimit = 30, MemoryPercentage = 10.2,
            NetworkRx = 0.31, NetworkTx = 12.3, BlockRead = 0.1, BlockWrite = 2.3, PidsCurrent = 10,
        };
        var row = new StatsRow("web", values, IsInvalid: false, Truncate: true);
        Assert.That((row.Id, row.Name, row.CpuPerc, row.MemUsage, row.MemPerc, row.NetIO, row.BlockIO, row.PIDs),
            Is.EqualTo(("4b1d7b2a9c3e", "web", "5.50%", "24B / 30B", "10.20%", "0.31B / 12.3B", "0.1B / 2.3B", "10")));
        var invalid = row with { IsInvalid = true, Values = StatsValues.Empty };
        Assert.That((invalid.Name, invalid.CpuPerc, invalid.MemUsage, invalid.MemPerc, invalid.NetIO, invalid.BlockIO, invalid.PIDs),
            Is.EqualTo(("--", "--", "-- / --", "--", "--", "--", "--")));
        Assert.That(new StatsRow("web", values with { Memory = 8 << 20, MemoryLimit = 64 << 20 }, false, true).MemUsage, Is.EqualTo("8MiB / 64MiB"));
    }

    [Test]
    public void TheTableAndJsonLinesAreDockers()
    {
        var sample = new StatsResponse
        {
            Name = "/web", Id = "4b1d7b2a9c3e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd",
            PidsStats = new StatsPids { Current = 3 },
            CpuStats = new StatsCpu { CpuUsage = new StatsCpuUsage { TotalUsage = 2_000_000_000 }, SystemUsage = 100_000_000_000, OnlineCpus = 2 },
            PreCpuStats = new StatsCpu { CpuUsage = new StatsCpuUsage { TotalUsage = 1_000_000_000 }, SystemUsage = 90_000_000_000 },
            MemoryStats = new StatsMemory { Usage = 10 << 20, Limit = 64 << 20, Stats = new() { ["inactive_file"] = 2 << 20 } },
            Networks = new() { ["eth0"] = new StatsNetwork { RxBytes = 1500, TxBytes = 700 } },
        };
        var row = new StatsRow("web", StatsMath.Compute(sample), false, true);
        Assert.That(StatsCommand.Render([row], StatsRow.TableFormat, stream: false), Is.EqualTo(
            "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O        BLOCK I/O   PIDS\n"
            + "4b1d7b2a9c3e   web       20.00%    8MiB / 64MiB        12.50%    1.5kB / 700B   0B / 0B     3\n"));
        Assert.That(StatsCommand.Render([row], "json", stream: false), Is.EqualTo(
            "{\"BlockIO\":\"0B / 0B\",\"CPUPerc\":\"20.00%\",\"Container\":\"web\",\"ID\":\"4b1d7b2a9c3e\",\"MemPerc\":\"12.50%\","
            + "\"MemUsage\":\"8MiB / 64MiB\",\"Name\":\"web\",\"NetIO\":\"1.5kB / 700B\",\"PIDs\":\"3\"}\n"));
        Assert.That(StatsCommand.Render([], StatsRow.TableFormat, stream: false),
            Is.EqualTo("CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS\n"), "the header alone");
    }

    [Test]
    public void StreamingHomesTheCursorAndErasesEachLineAsDockerDoes()
    {
        string text = StatsCommand.Render([], StatsRow.TableFormat, stream: true);
        const string header = "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS";
        Assert.That(text, Is.EqualTo($"\u001b[H{header}\n\u001b[H{header} \u001b[K\n \u001b[K\n\u001b[J"));
    }
}
