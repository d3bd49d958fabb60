using System.Diagnostics;
using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// What every benchmark of one run shares: the settings (quick or full), the run's private directory under
/// /var/tmp, the unique prefix of every cgroup it makes, the caller's own memory cgroup, and the progress log.
/// </summary>
public sealed class BenchContext
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BenchContext(bool quick, bool slowPeers)
    {
        Quick = quick;
        SlowPeers = slowPeers;
        string random = Guid.NewGuid().ToString("N")[..8];
        Prefix = "berth-bench-" + random;
        WorkDirectory = Directory.CreateDirectory(Path.Combine("/var/tmp", Prefix)).FullName;
        OwnMemoryCgroup = OwnCgroup("memory");
        Started = DateTime.UtcNow;
    }

    /// <summary>Fewer iterations, for development (`make bench-quick`).</summary>
    public bool Quick { get; }

    /// <summary>Whether dockerd and podman are measured (the slow peers).</summary>
    public bool SlowPeers { get; }

    /// <summary>berth-bench-&lt;random&gt;: the private directory's name and the prefix of every cgroup this run makes.</summary>
    public string Prefix { get; }

    public string WorkDirectory { get; }

    public string OwnMemoryCgroup { get; }

    public DateTime Started { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public string Dir(string name) => Directory.CreateDirectory(Path.Combine(WorkDirectory, name)).FullName;

    public void Log(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[bench {_clock.Elapsed:mm\\:ss}] {message}"));

    /// <summary>Full or quick count.</summary>
    public int Count(int full, int quick) => Quick ? quick : full;

    /// <summary>The caller's cgroup path in one v1 hierarchy ("memory", "cpu", "name=systemd"), or the v2 one for "".</summary>
    public static string OwnCgroup(string controller)
    {
        foreach (string line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (controller.Length == 0 ? parts[0] == "0" : parts[1].Split(',').Contains(controller))
                return parts[2].TrimEnd('/');
        }
        return "";
    }
}
