using System.Globalization;
using System.Runtime.InteropServices;

namespace Berth.Daemon;

/// <summary>What /version and /info say about the host, read from /proc and /etc.</summary>
public static class HostFacts
{
    public static string KernelVersion => ReadTrimmed("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString();

    public static string Hostname => ReadTrimmed("/proc/sys/kernel/hostname") ?? Environment.MachineName;

    /// <summary>Go's GOARCH: <c>amd64</c>, <c>arm64</c>.</summary>
    public static string GoArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>uname's machine: <c>x86_64</c>, <c>aarch64</c>.</summary>
    public static string Machine => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>PRETTY_NAME of /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)".</summary>
    public static string OperatingSystem => OsRelease("PRETTY_NAME") ?? "Linux";

    public static string OsVersion => OsRelease("VERSION_ID") ?? "";

    public static long MemTotal
    {
        get
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
                        continue;
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
            catch (IOException)
            {
            }
            return 0;
        }
    }

    private static string? OsRelease(string key)
    {
        try
        {
            foreach (string line in File.ReadLines("/etc/os-release"))
                if (line.StartsWith(key + "=", StringComparison.Ordinal))
                    return line[(key.Length + 1)..].Trim('"');
        }
        catch (IOException)
        {
        }
        return null;
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
