namespace Berth.Engine.Security;

/// <summary>Docker's masked and read-only paths (moby oci/defaults.go).</summary>
public static class DefaultPaths
{
    public static IReadOnlyList<string> Masked(string sysRoot = "/sys")
    {
        var paths = new List<string>
        {
            "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/devices/virtual/powercap",
        };
        // moby masks each CPU's thermal_throttle directory, enumerated on the host.
        string cpus = Path.Combine(sysRoot, "devices/system/cpu");
        if (Directory.Exists(cpus))
        {
            foreach (string dir in Directory.EnumerateDirectories(cpus, "cpu*").Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(dir);
                if (name.Length > 3 && name[3..].All(char.IsAsciiDigit) && Directory.Exists(Path.Combine(dir, "thermal_throttle")))
                    paths.Add($"/sys/devices/system/cpu/{name}/thermal_throttle");
            }
        }
        return paths;
    }

    public static readonly IReadOnlyList<string> Readonly =
    [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];
}
