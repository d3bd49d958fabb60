using System.Globalization;

namespace Berth.Daemon;

/// <summary>
/// The host's CPU time for `docker stats`, as moby's getSystemCPUUsage reads it: the first seven fields of
/// /proc/stat's "cpu" line (user to softirq, in USER_HZ ticks of 1/100 s) in nanoseconds, and the number of
/// "cpuN" lines as the online CPUs.
/// </summary>
public static class HostCpu
{
    private const long NanosecondsPerTick = 1_000_000_000 / 100;

    public static (long SystemNanoseconds, int OnlineCpus) Read() => Parse(File.ReadAllText("/proc/stat"));

    public static (long SystemNanoseconds, int OnlineCpus) Parse(string procStat)
    {
        long ticks = 0;
        int cpus = 0;
        foreach (string line in procStat.Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !parts[0].StartsWith("cpu", StringComparison.Ordinal))
                continue;
            if (parts[0] == "cpu")
            {
                if (parts.Length < 8)
                    throw new FormatException("/proc/stat: too few fields on the cpu line");
                foreach (string field in parts[1..8])
                    ticks += long.Parse(field, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else
            {
                cpus++;
            }
        }
        return (ticks * NanosecondsPerTick, cpus);
    }
}
